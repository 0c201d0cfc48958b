package dev.beacon.api.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * With ACLs on and {@code default-policy=deny}, the agent's own catalog writes act as the token a registration
 * carried, as Consul's anti-entropy does, or as the agent token once that token is gone; a write neither may make
 * is left out until one may. The agent syncs every second here, so that anti-entropy runs while the test watches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentSyncAclIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANAGEMENT = UUID.randomUUID().toString();
    private static final String NODE = "agentsync";
    private BeaconNode node;
    private Path dataDir;

    @BeforeAll
    void start(@TempDir Path dir) {
        dataDir = dir;
        node = new BeaconNode(NODE, "127.0.0.1", TestCluster.freePort(), List.of(), dir)
                .with("beacon.acl.enabled", "true").with("beacon.acl.default-policy", "deny")
                .with("beacon.acl.tokens.initial-management", MANAGEMENT)
                .with("beacon.agent.sync-interval", "1s").start();
        node.cluster().whenReady().join();
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/acl/token/self", MANAGEMENT, null)
                .statusCode() == 200);
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void aServiceIsKeptInTheCatalogAsItsRegistrationTokenAndThenAsTheAgentToken() throws Exception {
        JsonNode registrar = token("register-api", "service \"api\" { policy = \"write\" }");
        String registrarSecret = registrar.get("SecretID").asText();
        assertThat(send("PUT", "/v1/agent/service/register", registrarSecret,
                "{\"Name\": \"api\", \"ID\": \"api-1\", \"Port\": 8080}").statusCode()).isEqualTo(200);
        assertThat(inCatalog("api-1")).isTrue();
        Path saved = serviceFile("api-1");
        assertThat(Files.readString(saved)).as("the registration keeps its token, as Consul's agent state does")
                .contains(registrarSecret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");

        // Removed behind the agent's back: anti-entropy puts it back as the token it was registered with.
        deregisterFromCatalog("api-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> inCatalog("api-1"));

        // That token is gone and there is no agent token: the anonymous token acts, and may not write it back.
        assertThat(send("DELETE", "/v1/acl/token/" + registrar.get("AccessorID").asText(), MANAGEMENT, null)
                .statusCode()).isEqualTo(200);
        double before = blockedSyncs();
        deregisterFromCatalog("api-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> blockedSyncs() > before);
        assertThat(inCatalog("api-1")).as("a sync the agent's token may not make is left out").isFalse();

        // An agent token set while the server runs lets anti-entropy write it again.
        String agent = token("agent", "service_prefix \"\" { policy = \"write\" }\n"
                + "node \"" + NODE + "\" { policy = \"write\" }").get("SecretID").asText();
        assertThat(send("PUT", "/v1/agent/token/agent", agent, "{\"Token\": \"" + agent + "\"}").statusCode())
                .as("the agent token itself may not manage ACLs").isEqualTo(403);
        assertThat(send("PUT", "/v1/agent/token/agent", MANAGEMENT, "{\"Token\": \"" + agent + "\"}").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> inCatalog("api-1"));
    }

    @Test
    void aCheckResultReachesTheCatalogOnlyAsATokenThatMayWriteIt() throws Exception {
        JsonNode registrar = token("register-jobs", "service \"jobs\" { policy = \"write\" }");
        String secret = registrar.get("SecretID").asText();
        assertThat(send("PUT", "/v1/agent/service/register", secret, "{\"Name\": \"jobs\", \"ID\": \"jobs-1\", "
                + "\"Check\": {\"CheckID\": \"jobs-ttl\", \"TTL\": \"1h\"}}").statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/v1/agent/check/pass/jobs-ttl", secret, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> catalogStatus("jobs-ttl").equals("passing"));

        assertThat(send("DELETE", "/v1/acl/token/" + registrar.get("AccessorID").asText(), MANAGEMENT, null)
                .statusCode()).isEqualTo(200);
        double before = blockedSyncs();
        HttpResponse<String> fail = send("PUT", "/v1/agent/check/fail/jobs-ttl", MANAGEMENT, null);
        assertThat(fail.statusCode()).as("the agent takes the result, as Consul's does").isEqualTo(200);
        assertThat(agentStatus("jobs-ttl")).isEqualTo("critical");
        await().atMost(Duration.ofSeconds(30)).until(() -> blockedSyncs() > before);
        assertThat(catalogStatus("jobs-ttl")).as("the check's token is gone, so the catalog keeps the old result")
                .isEqualTo("passing");

        String agent = token("agent-jobs", "service \"jobs\" { policy = \"write\" }").get("SecretID").asText();
        assertThat(send("PUT", "/v1/agent/token/agent", MANAGEMENT, "{\"Token\": \"" + agent + "\"}").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> catalogStatus("jobs-ttl").equals("critical"));
    }

    @Test
    void unknownAndUnusedTokenKindsAreRefusedClearly() {
        HttpResponse<String> unknown = send("PUT", "/v1/agent/token/nonsense", MANAGEMENT, "{\"Token\": \"x\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body().trim()).isEqualTo("Token \"nonsense\" is unknown");
        HttpResponse<String> unused = send("PUT", "/v1/agent/token/replication", MANAGEMENT, "{\"Token\": \"x\"}");
        assertThat(unused.statusCode()).isEqualTo(400);
        assertThat(unused.body().trim()).isEqualTo("Beacon does not use the \"replication\" token");
        HttpResponse<String> malformed = send("PUT", "/v1/agent/token/agent", MANAGEMENT, "{\"Token\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
    }

    @Test
    void aDefaultTokenActsForRequestsThatCarryNone() throws Exception {
        assertThat(send("PUT", "/v1/kv/defaults/k", MANAGEMENT, "v").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/kv/defaults/k", "", null).statusCode()).isEqualTo(403);
        String reader = token("default-reader", "key_prefix \"defaults/\" { policy = \"read\" }").get("SecretID")
                .asText();
        assertThat(send("PUT", "/v1/agent/token/default", MANAGEMENT, "{\"Token\": \"" + reader + "\"}")
                .statusCode()).isEqualTo(200);
        try {
            assertThat(send("GET", "/v1/kv/defaults/k", "", null).statusCode()).isEqualTo(200);
            assertThat(send("PUT", "/v1/kv/defaults/k", "", "changed").statusCode()).isEqualTo(403);
        } finally {
            assertThat(send("PUT", "/v1/agent/token/default", MANAGEMENT, "{\"Token\": \"\"}").statusCode())
                    .isEqualTo(200);
        }
        assertThat(send("GET", "/v1/kv/defaults/k", "", null).statusCode()).isEqualTo(403);
    }

    private JsonNode token(String name, String rules) throws Exception {
        String policy = name + "-" + UUID.randomUUID();
        assertThat(send("PUT", "/v1/acl/policy", MANAGEMENT, JSON.writeValueAsString(Map.of("Name", policy,
                "Rules", rules))).statusCode()).isEqualTo(200);
        HttpResponse<String> created = send("PUT", "/v1/acl/token", MANAGEMENT,
                "{\"Policies\": [{\"Name\": \"" + policy + "\"}]}");
        assertThat(created.statusCode()).isEqualTo(200);
        return JSON.readTree(created.body());
    }

    private void deregisterFromCatalog(String serviceId) {
        assertThat(send("PUT", "/v1/catalog/deregister", MANAGEMENT, "{\"Node\": \"" + NODE + "\", \"ServiceID\": \""
                + serviceId + "\"}").body()).isEqualTo("true");
    }

    private boolean inCatalog(String serviceId) throws Exception {
        JsonNode services = JSON.readTree(send("GET", "/v1/catalog/node-services/" + NODE, MANAGEMENT, null).body());
        return services.get("Services").findValuesAsText("ID").contains(serviceId);
    }

    private String catalogStatus(String checkId) throws Exception {
        for (JsonNode check : JSON.readTree(send("GET", "/v1/health/node/" + NODE, MANAGEMENT, null).body())) {
            if (check.get("CheckID").asText().equals(checkId)) {
                return check.get("Status").asText();
            }
        }
        return "";
    }

    private String agentStatus(String checkId) throws Exception {
        return JSON.readTree(send("GET", "/v1/agent/checks", MANAGEMENT, null).body()).get(checkId).get("Status")
                .asText();
    }

    private double blockedSyncs() throws Exception {
        HttpResponse<String> metric = node.get("/actuator/metrics/beacon.agent.sync.blocked");
        return metric.statusCode() == 404 ? 0 : JSON.readTree(metric.body()).at("/measurements/0/value").asDouble();
    }

    private Path serviceFile(String serviceId) throws Exception {
        try (var files = Files.list(dataDir.resolve("agent").resolve("services"))) {
            return files.filter(f -> {
                try {
                    return Files.readString(f).contains("\"" + serviceId + "\"");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).findFirst().orElseThrow();
        }
    }

    private HttpResponse<String> send(String method, String path, String token, String body) {
        return node.send(method, path, token, body);
    }
}
