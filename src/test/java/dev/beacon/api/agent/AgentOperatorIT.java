package dev.beacon.api.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.ConsulException;
import org.kiwiproject.consul.model.agent.Agent;

/**
 * What tools ask a server about itself and its cluster, on a real three-server cluster: version, host, metrics
 * (JSON and Prometheus), the agent's full self description as consul-client reads it, autopilot's health and
 * state, join, and a failed server forced to leave. The last test stops a server, so it runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentOperatorIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private TestCluster cluster;
    private BeaconNode leader;
    private BeaconNode follower;
    private BeaconNode victim;
    private Consul consul;

    @BeforeAll
    void start(@TempDir Path dir) {
        cluster = new TestCluster(dir).startAll();
        leader = cluster.awaitLeader();
        follower = cluster.followers(leader).get(0);
        victim = cluster.followers(leader).get(1);
        consul = Consul.builder().withUrl("http://127.0.0.1:" + leader.httpPort()).build();
    }

    @AfterAll
    void stop() {
        consul.destroy();
        cluster.close();
    }

    @Test
    @Order(1)
    void versionHostAndMetricsDescribeTheServer() throws Exception {
        JsonNode version = json(follower.get("/v1/agent/version"));
        assertThat(version.get("HumanVersion").asText()).isEqualTo("1.20.0");

        JsonNode host = json(follower.get("/v1/agent/host"));
        assertThat(host.at("/Memory/total").asLong()).isPositive();
        assertThat(host.at("/Host/os").asText()).isEqualTo("linux");
        assertThat(host.at("/Disk/total").asLong()).isPositive();
        assertThat(host.get("CPU").size()).isPositive();

        JsonNode metrics = json(follower.get("/v1/agent/metrics"));
        assertThat(metrics.get("Timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000 UTC");
        assertThat(metrics.get("Gauges").findValuesAsText("Name")).contains("beacon.raft.applied.index");
        assertThat(metrics.get("Samples").isArray()).isTrue();

        HttpResponse<String> prometheus = follower.get("/v1/agent/metrics?format=prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(prometheus.body()).contains("# TYPE beacon_raft_applied_index gauge");

        HttpResponse<String> unknownFormat = follower.get("/v1/agent/metrics?format=xml");
        assertThat(unknownFormat.statusCode()).isEqualTo(400);
        assertThat(unknownFormat.body()).startsWith("Invalid format xml");
    }

    @Test
    @Order(2)
    void consulClientReadsTheAgentsSelfDescription() throws Exception {
        Agent self = consul.agentClient().getAgent();

        assertThat(self.getConfig().getNodeName()).isEqualTo(leader.name());
        assertThat(self.getDebugConfig()).containsEntry("ServerPort", leader.raftPort())
                .containsEntry("Datacenter", "dc1");
        assertThat(self.getMeta()).containsEntry("consul-network-segment", "");
        JsonNode raw = json(leader.get("/v1/agent/self"));
        assertThat(raw.at("/Stats/raft/state").asText()).isEqualTo("Leader");
        assertThat(raw.at("/Stats/consul/leader").asText()).isEqualTo("true");
        assertThat(raw.at("/Coord/Vec").size()).isEqualTo(8);
    }

    @Test
    @Order(3)
    void autopilotSeesThreeHealthyServersAndOneMayFail() throws Exception {
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> health = leader.get("/v1/operator/autopilot/health");
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode body = json(health);
            assertThat(body.get("Healthy").asBoolean()).isTrue();
            assertThat(body.get("FailureTolerance").asInt()).isEqualTo(1);
            assertThat(body.get("Servers").findValuesAsText("Name"))
                    .containsExactlyInAnyOrder("node1", "node2", "node3");
        });
        JsonNode state = json(follower.get("/v1/operator/autopilot/state"));
        assertThat(state.get("Voters").size()).isEqualTo(3);
        assertThat(state.get("Leader").asText()).isEqualTo(leaderAddress());
        assertThat(state.at("/Servers/" + leaderAddress() + "/Status").asText())
                .isEqualTo("leader");
    }

    @Test
    @Order(4)
    void joiningAServerOfThisClusterIsDoneAndAnyOtherIsRefusedWithHowToAddOne() {
        assertThat(consul.agentClient().join("127.0.0.2")).isTrue();

        HttpResponse<String> elsewhere = put(leader, "/v1/agent/join/127.0.0.9:8300");
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.body()).contains("beacon.retry-join");
    }

    @Test
    @Order(5)
    void aLiveOrUnknownNodeIsNotForcedToLeave() {
        HttpResponse<String> alive = put(leader, "/v1/agent/force-leave/" + follower.name());
        assertThat(alive.statusCode()).isEqualTo(400);
        assertThat(alive.body()).contains("is alive");
        assertThat(put(leader, "/v1/agent/force-leave/nobody").statusCode()).isEqualTo(404);
        assertThat(leader.get("/v1/operator/raft/configuration").body()).contains(follower.name());
    }

    @Test
    @Order(6)
    void aFailedServerMakesAutopilotUnhealthyUntilItIsForcedToLeave() throws Exception {
        victim.stop();
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> health = leader.get("/v1/operator/autopilot/health");
            assertThat(health.statusCode()).isEqualTo(429);
            assertThat(json(health).get("FailureTolerance").asInt()).isZero();
        });

        consul.agentClient().forceLeave(victim.name());

        assertThat(leader.get("/v1/operator/raft/configuration").body()).doesNotContain(victim.name());
        assertThat(leader.get("/v1/catalog/node/" + victim.name()).body()).isEqualTo("null");
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> health = leader.get("/v1/operator/autopilot/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(json(health).get("Servers").size()).isEqualTo(2);
        });
        assertThatThrownBy(() -> consul.agentClient().forceLeave("nobody")).isInstanceOf(ConsulException.class);
    }

    private String leaderAddress() {
        return leader.cluster().settings().localMember();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 429);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> put(BeaconNode node, String path) {
        return node.send(HttpRequest.newBuilder(node.uri(path)).PUT(HttpRequest.BodyPublishers.noBody()).build());
    }
}
