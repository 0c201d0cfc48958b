package dev.beacon.api.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent endpoints on a real three-server cluster, with real checks: TTL heartbeats and expiry, an HTTP check
 * against a small HTTP server in this test whose answer the test changes, a gRPC check against a grpc-java health
 * service in this test, maintenance mode, and
 * DeregisterCriticalServiceAfter. Services register on one server and are discovered through another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentApiIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private TestCluster cluster;
    private BeaconNode agent;
    private BeaconNode other;
    private HttpServer target;
    private final AtomicInteger targetStatus = new AtomicInteger(200);
    private Server grpcTarget;
    private final HealthStatusManager grpcHealth = new HealthStatusManager();

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/health", exchange -> {
            byte[] body = "status".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(targetStatus.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        grpcTarget = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(grpcHealth.getHealthService()).build().start();
        cluster = new TestCluster(dir).startAll();
        BeaconNode leader = cluster.awaitLeader();
        agent = cluster.followers(leader).get(0);
        other = cluster.followers(leader).get(1);
    }

    @AfterAll
    void stop() {
        cluster.close();
        target.stop(0);
        grpcTarget.shutdownNow();
    }

    @Test
    void aTtlServiceIsCriticalUntilItsHeartbeatThenExpiresBackToCritical() {
        assertThat(put(agent, "/v1/agent/service/register",
                "{\"Id\":\"ttl-1\",\"Name\":\"ttl\",\"Port\":9000,\"Check\":{\"TTL\":\"4s\"},\"Checks\":null}")
                .statusCode()).isEqualTo(200);
        assertThat(checkStatus(other, "ttl", "service:ttl-1")).isEqualTo("critical");

        assertThat(put(agent, "/v1/agent/check/pass/service:ttl-1?note=alive", "").statusCode()).isEqualTo(200);
        assertThat(checkStatus(other, "ttl", "service:ttl-1")).isEqualTo("passing");
        assertThat(other.get("/v1/health/service/ttl?passing=true").body()).contains("\"ID\":\"ttl-1\"");

        await().atMost(WAIT).until(() -> "critical".equals(checkStatus(other, "ttl", "service:ttl-1")));
        assertThat(other.get("/v1/health/service/ttl").body()).contains("TTL expired");
        assertThat(other.get("/v1/health/service/ttl?passing=true").body()).isEqualTo("[]");
    }

    @Test
    void anHttpCheckFollowsItsTargetAndAnUnchangedResultWritesNothing() {
        String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/health";
        put(agent, "/v1/agent/service/register", "{\"ID\":\"web-1\",\"Name\":\"web\",\"Port\":8080,"
                + "\"Check\":{\"HTTP\":\"" + url + "\",\"Interval\":\"1s\",\"Timeout\":\"2s\"}}");

        await().atMost(WAIT).until(() -> "passing".equals(checkStatus(other, "web", "service:web-1")));
        long modifyIndex = checkModifyIndex(other, "web", "service:web-1");
        // Several more runs (1 s apart) with the same answer: the check's ModifyIndex must not move.
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
        assertThat(checkModifyIndex(other, "web", "service:web-1")).isEqualTo(modifyIndex);

        targetStatus.set(429);
        await().atMost(WAIT).until(() -> "warning".equals(checkStatus(other, "web", "service:web-1")));
        targetStatus.set(503);
        await().atMost(WAIT).until(() -> "critical".equals(checkStatus(other, "web", "service:web-1")));
        assertThat(other.get("/v1/health/service/web").body()).contains(": 503 Service Unavailable Output: status");

        // Only a TTL check takes a result from outside, as in Consul.
        HttpResponse<String> pass = put(agent, "/v1/agent/check/pass/service:web-1", "");
        assertThat(pass.statusCode()).isEqualTo(500);
        assertThat(pass.body()).isEqualTo("CheckID \"service:web-1\" does not have associated TTL\n");
        assertThat(put(agent, "/v1/agent/check/update/service:web-1", "{\"Status\":\"passing\"}").statusCode())
                .isEqualTo(500);
        assertThat(checkStatus(other, "web", "service:web-1")).isEqualTo("critical");

        targetStatus.set(200);
        await().atMost(WAIT).until(() -> "passing".equals(checkStatus(other, "web", "service:web-1")));
    }

    @Test
    void aGrpcCheckAsksTheStandardHealthServiceForItsServiceName() {
        grpcHealth.setStatus("billing", HealthCheckResponse.ServingStatus.SERVING);
        put(agent, "/v1/agent/service/register", "{\"ID\":\"billing-1\",\"Name\":\"billing\",\"Port\":7000,"
                + "\"Check\":{\"GRPC\":\"127.0.0.1:" + grpcTarget.getPort() + "/billing\",\"Interval\":\"1s\"}}");

        await().atMost(WAIT).until(() -> "passing".equals(checkStatus(other, "billing", "service:billing-1")));
        assertThat(other.get("/v1/health/checks/billing").body()).contains("\"Type\":\"grpc\"", ": success");

        grpcHealth.setStatus("billing", HealthCheckResponse.ServingStatus.NOT_SERVING);
        await().atMost(WAIT).until(() -> "critical".equals(checkStatus(other, "billing", "service:billing-1")));
        assertThat(other.get("/v1/health/checks/billing").body()).contains("NOT_SERVING");

        grpcHealth.setStatus("billing", HealthCheckResponse.ServingStatus.SERVING);
        await().atMost(WAIT).until(() -> "passing".equals(checkStatus(other, "billing", "service:billing-1")));
        put(agent, "/v1/agent/service/deregister/billing-1", "");
    }

    @Test
    void maintenanceModeTakesAnInstanceOutOfPassingResults() {
        put(agent, "/v1/agent/service/register",
                "{\"ID\":\"m-1\",\"Name\":\"maint\",\"Port\":1,\"Check\":{\"TTL\":\"10m\",\"Status\":\"passing\"}}");
        assertThat(other.get("/v1/health/service/maint?passing").body()).contains("\"ID\":\"m-1\"");

        assertThat(put(agent, "/v1/agent/service/maintenance/m-1?enable=true&reason=deploy", "").statusCode())
                .isEqualTo(200);
        assertThat(other.get("/v1/health/checks/maint").body())
                .contains("\"CheckID\":\"_service_maintenance:m-1\"", "\"Name\":\"Service Maintenance Mode\"",
                        "\"Notes\":\"deploy\"");
        assertThat(other.get("/v1/health/service/maint?passing").body()).isEqualTo("[]");

        put(agent, "/v1/agent/service/maintenance/m-1?enable=false", "");
        assertThat(other.get("/v1/health/service/maint?passing").body()).contains("\"ID\":\"m-1\"");
    }

    @Test
    void theAgentAnswersForItsOwnServicesHealthWithTheAggregatedStatus() {
        put(agent, "/v1/agent/service/register", "{\"ID\":\"local-1\",\"Name\":\"local\",\"Port\":1,"
                + "\"Check\":{\"TTL\":\"10m\",\"Status\":\"passing\"}}");
        assertThat(agent.get("/v1/agent/health/service/name/local").statusCode()).isEqualTo(200);

        put(agent, "/v1/agent/check/warn/service:local-1", "");
        HttpResponse<String> warning = agent.get("/v1/agent/health/service/id/local-1");
        assertThat(warning.statusCode()).isEqualTo(429);
        assertThat(warning.body()).startsWith("{\"AggregatedStatus\":\"warning\"").contains("\"ID\":\"local-1\"");
        HttpResponse<String> warningText = agent.get("/v1/agent/health/service/name/local?format=text");
        assertThat(warningText.statusCode()).isEqualTo(429);
        assertThat(warningText.body()).isEqualTo("warning");

        put(agent, "/v1/agent/check/fail/service:local-1", "");
        assertThat(agent.get("/v1/agent/health/service/name/local").statusCode()).isEqualTo(503);
        put(agent, "/v1/agent/service/maintenance/local-1?enable=true", "");
        HttpResponse<String> maintenance = agent.get("/v1/agent/health/service/id/local-1?format=text");
        assertThat(maintenance.statusCode()).isEqualTo(503);
        assertThat(maintenance.body()).isEqualTo("maintenance");
        put(agent, "/v1/agent/service/maintenance/local-1?enable=false", "");

        HttpResponse<String> unknown = agent.get("/v1/agent/health/service/id/nothing-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"AggregatedStatus\":\"critical\",\"Service\":null,\"Checks\":null}");
        HttpResponse<String> unknownName = agent.get("/v1/agent/health/service/name/nothing-here?format=text");
        assertThat(unknownName.statusCode()).isEqualTo(404);
        assertThat(unknownName.body()).isEqualTo("ServiceName nothing-here Not Found");
        assertThat(agent.get("/v1/agent/health/service/name/nothing-here").body()).isEqualTo("[]");
        assertThat(other.get("/v1/agent/health/service/name/local").statusCode()).isEqualTo(404);
    }

    @Test
    void nodeMaintenanceTakesEveryServiceOfTheNodeOutOfPassingResults() {
        put(agent, "/v1/agent/service/register", "{\"ID\":\"nm-1\",\"Name\":\"nodemaint\",\"Port\":1,"
                + "\"Check\":{\"TTL\":\"10m\",\"Status\":\"passing\"}}");
        assertThat(other.get("/v1/health/service/nodemaint?passing").body()).contains("nm-1");

        assertThat(put(agent, "/v1/agent/maintenance?enable=true", "").statusCode()).isEqualTo(200);
        assertThat(other.get("/v1/health/node/" + agent.name()).body())
                .contains("\"CheckID\":\"_node_maintenance\"", "\"Name\":\"Node Maintenance Mode\"");
        assertThat(other.get("/v1/health/service/nodemaint?passing").body()).isEqualTo("[]");

        put(agent, "/v1/agent/maintenance?enable=false", "");
        assertThat(other.get("/v1/health/service/nodemaint?passing").body()).contains("nm-1");
        assertThat(put(agent, "/v1/agent/maintenance", "").statusCode()).isEqualTo(400);
    }

    @Test
    void aServiceCriticalLongerThanDeregisterCriticalServiceAfterIsRemoved() {
        put(agent, "/v1/agent/service/register", "{\"ID\":\"doomed-1\",\"Name\":\"doomed\",\"Port\":1,"
                + "\"Check\":{\"TCP\":\"127.0.0.1:1\",\"Interval\":\"1s\",\"DeregisterCriticalServiceAfter\":\"2s\"}}");
        assertThat(other.get("/v1/catalog/service/doomed").body()).contains("doomed-1");

        await().atMost(WAIT).until(() -> other.get("/v1/catalog/service/doomed").body().equals("[]"));
        assertThat(agent.get("/v1/agent/services").body()).doesNotContain("doomed-1");
    }

    @Test
    void aServiceWithOneCheckInChecksIsHeartbeatAsServiceColonId() {
        // Micronaut registers so and then passes "service:<id>", as Consul names a lone check.
        assertThat(put(agent, "/v1/agent/service/register",
                "{\"ID\":\"mn:8089\",\"Name\":\"mn\",\"Port\":8089,\"Checks\":[{\"TTL\":\"30s\"}]}")
                .statusCode()).isEqualTo(200);
        assertThat(put(agent, "/v1/agent/check/pass/service%3Amn%3A8089", "").statusCode()).isEqualTo(200);

        assertThat(checkStatus(other, "mn", "service:mn:8089")).isEqualTo("passing");
        assertThat(other.get("/v1/health/checks/mn").body()).contains("\"Name\":\"Service 'mn' check\"");
        assertThat(put(agent, "/v1/agent/service/deregister/mn:8089", "").statusCode()).isEqualTo(200);
    }

    @Test
    void reRegisteringKeepsTheServicesOtherChecksUnlessAskedToReplaceThem() {
        put(agent, "/v1/agent/service/register", "{\"ID\":\"rep-1\",\"Name\":\"rep\",\"Checks\":["
                + "{\"CheckID\":\"rep-a\",\"TTL\":\"10m\"},{\"CheckID\":\"rep-b\",\"TTL\":\"10m\"}]}");
        put(agent, "/v1/agent/check/register", "{\"ID\":\"rep-c\",\"Name\":\"c\",\"ServiceID\":\"rep-1\",\"TTL\":\"10m\"}");
        String onlyA = "{\"ID\":\"rep-1\",\"Name\":\"rep\",\"Checks\":[{\"CheckID\":\"rep-a\",\"TTL\":\"10m\"}]}";

        assertThat(put(agent, "/v1/agent/service/register", onlyA).statusCode()).isEqualTo(200);
        assertThat(agent.get("/v1/agent/checks").body()).contains("\"rep-a\"", "\"rep-b\"", "\"rep-c\"");

        assertThat(put(agent, "/v1/agent/service/register?replace-existing-checks", onlyA).statusCode())
                .isEqualTo(200);
        assertThat(agent.get("/v1/agent/checks").body()).contains("\"rep-a\"").doesNotContain("rep-b", "rep-c");
        assertThat(other.get("/v1/health/checks/rep").body()).contains("\"rep-a\"").doesNotContain("rep-b", "rep-c");
        put(agent, "/v1/agent/service/deregister/rep-1", "");
    }

    @Test
    void theAgentListsItsOwnServicesAndChecksAndDeregistersThem() {
        put(agent, "/v1/agent/service/register", "{\"ID\":\"list-1\",\"Name\":\"list\",\"Tags\":[\"a\"],"
                + "\"Port\":7,\"Checks\":[{\"TTL\":\"10m\"},{\"TTL\":\"10m\",\"Name\":\"second\"}]}");

        assertThat(agent.get("/v1/agent/services").body()).contains("\"list-1\":{\"ID\":\"list-1\"");
        assertThat(agent.get("/v1/agent/service/list-1").body()).contains("\"Service\":\"list\"", "\"Address\":\"\"");
        assertThat(agent.get("/v1/agent/checks").body()).contains("\"service:list-1:1\"", "\"service:list-1:2\"");
        assertThat(other.get("/v1/agent/services").body()).doesNotContain("list-1");

        assertThat(put(agent, "/v1/agent/service/deregister/list-1", "").statusCode()).isEqualTo(200);
        assertThat(other.get("/v1/catalog/service/list").body()).isEqualTo("[]");
        assertThat(agent.get("/v1/agent/checks").body()).doesNotContain("service:list-1");
    }

    @Test
    void badRegistrationsAreRefusedWithAOneLineMessage() {
        String[] bodies = {"{\"Name\":\"\"}", "{\"Name\":\"p\",\"Port\":70000}",
            "{\"Name\":\"c\",\"Check\":{\"HTTP\":\"http://127.0.0.1/x\"}}",
            "{\"Name\":\"c\",\"Check\":{\"TTL\":\"soon\"}}", "{\"Name\":\"c\",\"Check\":{\"Script\":\"rm -rf\"}}",
            "{\"Name\":\"c\",\"Tags\":\"not-a-list\"}", "[]",
            "{\"Name\":\"g\",\"Check\":{\"GRPC\":\"no-port/svc\",\"Interval\":\"1s\"}}"};
        for (String body : bodies) {
            HttpResponse<String> r = put(agent, "/v1/agent/service/register", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.body()).as(body).hasLineCount(1);
        }
        assertThat(put(agent, "/v1/agent/check/pass/nope", "").statusCode()).isEqualTo(404);
        assertThat(put(agent, "/v1/agent/service/deregister/nope", "").statusCode()).isEqualTo(404);
        assertThat(agent.get("/v1/agent/services").body()).doesNotContain("\"p\"", "\"c\"");
    }

    private static String checkStatus(BeaconNode node, String service, String checkId) {
        Matcher m = Pattern.compile("\"CheckID\":\"" + Pattern.quote(checkId)
                + "\",\"Name\":\"[^\"]*\",\"Status\":\"(\\w+)\"")
                .matcher(node.get("/v1/health/service/" + service).body());
        return m.find() ? m.group(1) : null;
    }

    private static long checkModifyIndex(BeaconNode node, String service, String checkId) {
        Matcher m = Pattern.compile("\"CheckID\":\"" + Pattern.quote(checkId) + "\"[^}]*\"ModifyIndex\":(\\d+)")
                .matcher(node.get("/v1/health/service/" + service).body());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static HttpResponse<String> put(BeaconNode node, String path, String body) {
        return node.send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
