package dev.beacon.api.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.api.ApiPipeline;
import dev.beacon.api.Route;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code /v1} route of the route table, with ACLs on and {@code default-policy=deny}: sent without a token,
 * with a token whose rules grant something unrelated, and with a token whose rules grant everything. The table
 * below must name every route, so a new route cannot be left out. A refused write leaves the state as it was,
 * byte for byte; a listing shows the refused callers nothing and says it filtered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclEveryRouteIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANAGEMENT = UUID.randomUUID().toString();
    private static final String ALL_RULES = """
            key_prefix "" { policy = "write" }
            service_prefix "" { policy = "write" }
            node_prefix "" { policy = "write" }
            session_prefix "" { policy = "write" }
            agent_prefix "" { policy = "write" }
            event_prefix "" { policy = "write" }
            query_prefix "" { policy = "write" }
            operator = "write"
            acl = "write"
            """;

    /** How a route answers a caller that may not use it. */
    private enum Refusal {
        /** 403 Permission denied, and nothing changes. */
        DENIED,
        /** A transaction: 409 with a Permission denied error per operation, and nothing changes. */
        TXN_DENIED,
        /** A listing or view: answered, without what the caller may not read. */
        FILTERED,
        /** Needs no permission (status, version, datacenters, the caller's own token). */
        OPEN
    }

    private record Sample(String method, String path, String body, Refusal refusal, boolean destructive) {
    }

    private BeaconNode node;
    private String nodeName;
    private String lacking;
    private String holding;
    private String sessionId;
    private String queryId;
    private final Map<String, Sample> samples = new LinkedHashMap<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        node = new BeaconNode("aclroutes", "127.0.0.1", TestCluster.freePort(), List.of(), dir)
                .with("beacon.acl.enabled", "true").with("beacon.acl.default-policy", "deny")
                .with("beacon.acl.tokens.initial-management", MANAGEMENT).start();
        node.cluster().whenReady().join();
        nodeName = "aclroutes";
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/acl/token/self", MANAGEMENT, null)
                .statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/catalog/node/" + nodeName, MANAGEMENT,
                null).statusCode() == 200);
        lacking = tokenWithRules("unrelated", "key_prefix \"unrelated/\" { policy = \"read\" }");
        holding = tokenWithRules("everything", ALL_RULES);
        ok(send("PUT", "/v1/kv/app/k", MANAGEMENT, "v"));
        ok(send("PUT", "/v1/agent/service/register", MANAGEMENT,
                "{\"Name\": \"web\", \"ID\": \"web-1\", \"Port\": 80, \"Check\": {\"CheckID\": \"web-ttl\", "
                        + "\"TTL\": \"1h\"}}"));
        ok(send("PUT", "/v1/agent/check/pass/web-ttl", MANAGEMENT, null));
        sessionId = JSON.readTree(ok(send("PUT", "/v1/session/create", MANAGEMENT, "{\"Name\": \"s\"}")).body())
                .get("ID").asText();
        ok(send("PUT", "/v1/event/fire/deploy", MANAGEMENT, "payload"));
        queryId = JSON.readTree(ok(send("POST", "/v1/query", MANAGEMENT,
                "{\"Name\": \"web-query\", \"Service\": {\"Service\": \"web\"}}")).body()).get("ID").asText();
        defineSamples();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private void defineSamples() {
        String n = nodeName;
        deny("GET /v1/kv/", "GET", "/v1/kv/app/k", null);
        deny("PUT /v1/kv/", "PUT", "/v1/kv/app/k", "changed");
        destroy("DELETE /v1/kv/", "DELETE", "/v1/kv/app/k", null);
        samples.put("PUT /v1/txn", new Sample("PUT", "/v1/txn",
                "[{\"KV\": {\"Verb\": \"set\", \"Key\": \"app/t\", \"Value\": \"dg==\"}}]", Refusal.TXN_DENIED, false));
        open("GET /v1/catalog/datacenters", "/v1/catalog/datacenters");
        open("GET /v1/coordinate/datacenters", "/v1/coordinate/datacenters");
        deny("POST /v1/query", "POST", "/v1/query", "{\"Name\": \"other\", \"Service\": {\"Service\": \"web\"}}");
        filtered("GET /v1/query", "/v1/query");
        deny("GET /v1/query/", "GET", "/v1/query/" + queryId + "/execute", null);
        deny("PUT /v1/query/", "PUT", "/v1/query/" + queryId, "{\"Name\": \"web-query\", \"Service\": "
                + "{\"Service\": \"db\"}}");
        destroy("DELETE /v1/query/", "DELETE", "/v1/query/" + queryId, null);
        deny("POST /v1/internal/query/execute", "POST", "/v1/internal/query/execute",
                "{\"Service\": {\"Service\": \"web\"}}");
        filtered("GET /v1/coordinate/nodes", "/v1/coordinate/nodes");
        filtered("GET /v1/coordinate/node/", "/v1/coordinate/node/" + n);
        deny("PUT /v1/catalog/register", "PUT", "/v1/catalog/register",
                "{\"Node\": \"ext\", \"Address\": \"10.0.0.9\", \"Service\": {\"Service\": \"db\", \"Port\": 5432}}");
        destroy("PUT /v1/catalog/deregister", "PUT", "/v1/catalog/deregister",
                "{\"Node\": \"" + n + "\", \"ServiceID\": \"web-1\"}");
        filtered("GET /v1/catalog/services", "/v1/catalog/services");
        filtered("GET /v1/catalog/service/", "/v1/catalog/service/web");
        filtered("GET /v1/catalog/nodes", "/v1/catalog/nodes");
        filtered("GET /v1/catalog/node/", "/v1/catalog/node/" + n);
        filtered("GET /v1/catalog/node-services/", "/v1/catalog/node-services/" + n);
        filtered("GET /v1/health/service/", "/v1/health/service/web");
        filtered("GET /v1/health/checks/", "/v1/health/checks/web");
        filtered("GET /v1/health/node/", "/v1/health/node/" + n);
        filtered("GET /v1/health/state/", "/v1/health/state/any");
        filtered("GET /v1/agent/checks", "/v1/agent/checks");
        deny("PUT /v1/agent/check/register", "PUT", "/v1/agent/check/register",
                "{\"CheckID\": \"extra\", \"Name\": \"extra\", \"TTL\": \"1h\"}");
        destroy("PUT /v1/agent/check/deregister/", "PUT", "/v1/agent/check/deregister/web-ttl", null);
        deny("PUT /v1/agent/check/pass/", "PUT", "/v1/agent/check/pass/web-ttl", null);
        deny("PUT /v1/agent/check/warn/", "PUT", "/v1/agent/check/warn/web-ttl", null);
        deny("PUT /v1/agent/check/fail/", "PUT", "/v1/agent/check/fail/web-ttl", null);
        deny("PUT /v1/agent/check/update/", "PUT", "/v1/agent/check/update/web-ttl",
                "{\"Status\": \"passing\", \"Output\": \"fine\"}");
        deny("GET /v1/agent/health/service/name/", "GET", "/v1/agent/health/service/name/web", null);
        deny("GET /v1/agent/health/service/id/", "GET", "/v1/agent/health/service/id/web-1", null);
        deny("GET /v1/agent/host", "GET", "/v1/agent/host", null);
        filtered("GET /v1/agent/members", "/v1/agent/members");
        deny("GET /v1/agent/metrics", "GET", "/v1/agent/metrics", null);
        deny("GET /v1/agent/self", "GET", "/v1/agent/self", null);
        deny("GET /v1/agent/service/", "GET", "/v1/agent/service/web-1", null);
        filtered("GET /v1/agent/services", "/v1/agent/services");
        open("GET /v1/agent/version", "/v1/agent/version");
        deny("PUT /v1/agent/join/", "PUT", "/v1/agent/join/127.0.0.9", null);
        deny("PUT /v1/agent/token/", "PUT", "/v1/agent/token/dns", "{\"Token\": \"\"}");
        destroy("PUT /v1/agent/force-leave/", "PUT", "/v1/agent/force-leave/nobody", null);
        deny("PUT /v1/agent/maintenance", "PUT", "/v1/agent/maintenance?enable=false", null);
        destroy("PUT /v1/agent/service/deregister/", "PUT", "/v1/agent/service/deregister/web-1", null);
        deny("PUT /v1/agent/service/maintenance/", "PUT", "/v1/agent/service/maintenance/web-1?enable=false",
                null);
        deny("PUT /v1/agent/service/register", "PUT", "/v1/agent/service/register",
                "{\"Name\": \"api\", \"Port\": 81}");
        deny("PUT /v1/event/fire/", "PUT", "/v1/event/fire/restart", null);
        filtered("GET /v1/event/list", "/v1/event/list");
        deny("GET /v1/operator/raft/configuration", "GET", "/v1/operator/raft/configuration", null);
        destroy("DELETE /v1/operator/raft/peer", "DELETE", "/v1/operator/raft/peer?address=127.0.0.9:1", null);
        deny("GET /v1/operator/autopilot/health", "GET", "/v1/operator/autopilot/health", null);
        deny("GET /v1/operator/autopilot/state", "GET", "/v1/operator/autopilot/state", null);
        deny("GET /v1/operator/storage", "GET", "/v1/operator/storage", null);
        deny("PUT /v1/session/create", "PUT", "/v1/session/create", "{\"Name\": \"other\"}");
        destroy("PUT /v1/session/destroy/", "PUT", "/v1/session/destroy/" + sessionId, null);
        deny("PUT /v1/session/renew/", "PUT", "/v1/session/renew/" + sessionId, null);
        filtered("GET /v1/session/info/", "/v1/session/info/" + sessionId);
        filtered("GET /v1/session/node/", "/v1/session/node/" + n);
        filtered("GET /v1/session/list", "/v1/session/list");
        deny("GET /v1/snapshot", "GET", "/v1/snapshot", null);
        destroy("PUT /v1/snapshot", "PUT", "/v1/snapshot", "not a snapshot");
        open("GET /v1/status/leader", "/v1/status/leader");
        open("GET /v1/status/peers", "/v1/status/peers");
        // Refused for everyone here: the initial management token ended bootstrapping.
        deny("PUT /v1/acl/bootstrap", "PUT", "/v1/acl/bootstrap", null);
        deny("PUT /v1/acl/token", "PUT", "/v1/acl/token", "{\"Description\": \"x\"}");
        open("GET /v1/acl/token/", "/v1/acl/token/self");
        deny("PUT /v1/acl/token/", "PUT", "/v1/acl/token/00000000-0000-0000-0000-000000000002",
                "{\"Description\": \"changed\"}");
        destroy("DELETE /v1/acl/token/", "DELETE", "/v1/acl/token/" + UUID.randomUUID(), null);
        deny("GET /v1/acl/tokens", "GET", "/v1/acl/tokens", null);
        deny("PUT /v1/acl/policy", "PUT", "/v1/acl/policy", "{\"Name\": \"p\", \"Rules\": \"\"}");
        deny("GET /v1/acl/policy/", "GET", "/v1/acl/policy/name/everything", null);
        deny("PUT /v1/acl/policy/", "PUT", "/v1/acl/policy/00000000-0000-0000-0000-000000000001",
                "{\"Name\": \"global-management\", \"Description\": \"changed\"}");
        destroy("DELETE /v1/acl/policy/", "DELETE", "/v1/acl/policy/" + UUID.randomUUID(), null);
        deny("GET /v1/acl/policies", "GET", "/v1/acl/policies", null);
        deny("PUT /v1/acl/role", "PUT", "/v1/acl/role", "{\"Name\": \"r\"}");
        deny("GET /v1/acl/role/", "GET", "/v1/acl/role/name/r", null);
        deny("PUT /v1/acl/role/", "PUT", "/v1/acl/role/" + UUID.randomUUID(), "{\"Name\": \"r2\"}");
        destroy("DELETE /v1/acl/role/", "DELETE", "/v1/acl/role/" + UUID.randomUUID(), null);
        deny("GET /v1/acl/roles", "GET", "/v1/acl/roles", null);
    }

    @Test
    void theTableNamesEveryRoute() {
        List<String> routes = node.context().getBean(ApiPipeline.class).routes().routes().stream()
                .map(Route::name).toList();
        assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(routes);
    }

    @Test
    void callersWithoutThePermissionAreRefusedAndChangeNothing() throws Exception {
        for (Map.Entry<String, Sample> e : samples.entrySet()) {
            Sample s = e.getValue();
            for (String token : List.of("", lacking)) {
                String who = e.getKey() + (token.isEmpty() ? " without a token" : " with an unrelated token");
                byte[] before = state();
                HttpResponse<String> response = send(s.method(), s.path(), token, s.body());
                switch (s.refusal()) {
                    case DENIED -> {
                        assertThat(response.statusCode()).as(who + ": " + response.body()).isEqualTo(403);
                        assertThat(response.body()).as(who).startsWith("Permission denied");
                    }
                    case TXN_DENIED -> {
                        assertThat(response.statusCode()).as(who).isEqualTo(409);
                        assertThat(response.body()).as(who).contains("Permission denied");
                    }
                    case FILTERED -> {
                        assertThat(response.statusCode()).as(who + ": " + response.body()).isIn(200, 404);
                        assertThat(response.headers().firstValue("X-Consul-Results-Filtered-By-ACLs")).as(who)
                                .hasValue("true");
                        assertThat(response.body()).as(who).doesNotContain("web-1").doesNotContain("\"web\"")
                                .doesNotContain(sessionId).doesNotContain("\"deploy\"")
                                .doesNotContain("\"" + nodeName + "\"");
                    }
                    case OPEN -> assertThat(response.statusCode()).as(who + ": " + response.body()).isEqualTo(200);
                }
                if (s.refusal() != Refusal.OPEN && s.refusal() != Refusal.FILTERED) {
                    assertThat(state()).as(who + " left the state as it was").isEqualTo(before);
                }
            }
        }
    }

    @Test
    void aTokenWhoseRulesGrantEverythingIsRefusedNothingAndSeesEverything() {
        List<Map.Entry<String, Sample>> ordered = new ArrayList<>(samples.entrySet());
        // Reads and harmless writes first: the destructive ones remove what the others act on.
        ordered.sort((a, b) -> Boolean.compare(a.getValue().destructive(), b.getValue().destructive()));
        for (Map.Entry<String, Sample> e : ordered) {
            Sample s = e.getValue();
            if (e.getKey().equals("PUT /v1/acl/bootstrap")) {
                continue;
            }
            HttpResponse<String> response = send(s.method(), s.path(), holding, s.body());
            assertThat(response.body()).as(e.getKey()).doesNotContain("Permission denied");
            if (response.statusCode() == 403) {
                assertThat(response.body().trim()).as(e.getKey() + ": Consul's answer for an ACL item that does "
                        + "not exist").isEqualTo("ACL not found");
            }
            if (s.refusal() == Refusal.FILTERED) {
                assertThat(response.headers().firstValue("X-Consul-Results-Filtered-By-ACLs")).as(e.getKey())
                        .isEmpty();
            }
        }
    }

    private void deny(String route, String method, String path, String body) {
        samples.put(route, new Sample(method, path, body, Refusal.DENIED, false));
    }

    private void destroy(String route, String method, String path, String body) {
        samples.put(route, new Sample(method, path, body, Refusal.DENIED, true));
    }

    private void filtered(String route, String path) {
        samples.put(route, new Sample("GET", path, null, Refusal.FILTERED, false));
    }

    private void open(String route, String path) {
        samples.put(route, new Sample("GET", path, null, Refusal.OPEN, false));
    }

    private String tokenWithRules(String name, String rules) throws Exception {
        ok(send("PUT", "/v1/acl/policy", MANAGEMENT, JSON.writeValueAsString(Map.of("Name", name, "Rules", rules))));
        return JSON.readTree(ok(send("PUT", "/v1/acl/token", MANAGEMENT,
                "{\"Policies\": [{\"Name\": \"" + name + "\"}]}")).body()).get("SecretID").asText();
    }

    /** The store's snapshot without its applied index, which the leader's ticks move while nothing changes. */
    private byte[] state() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        node.store().writeSnapshot(out);
        byte[] bytes = out.toByteArray();
        Arrays.fill(bytes, 8, 16, (byte) 0);
        return bytes;
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private HttpResponse<String> send(String method, String path, String token, String body) {
        return node.send(method, path, token, body);
    }
}
