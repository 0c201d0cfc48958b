package dev.beacon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client hears from a server that has lost its quorum: Consul's answers, never Atomix's internals; and
 * what an orchestrator hears: not ready, still alive. The etcd port answers in etcd's words.
 */
class NoQuorumIT {

    @Test
    void writesAndConsistentReadsAreRefusedInConsulsWordsAndStaleReadsStillServe(@TempDir Path dir) {
        try (TestCluster cluster = new TestCluster(dir).startAll()) {
            BeaconNode leader = cluster.awaitLeader();
            BeaconNode survivor = cluster.followers(leader).get(0);
            assertThat(put(survivor, "before", "committed").body()).isEqualTo("true");
            // A write answers once the leader applied it; the survivor learns of it with the next append.
            await().atMost(TestCluster.FORMATION)
                    .until(() -> survivor.get("/v1/kv/before?stale&raw").body().equals("committed"));

            assertThat(survivor.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

            long failedBefore = failedProposals(survivor);
            cluster.followers(survivor).forEach(BeaconNode::stop);

            HttpResponse<String> write = put(survivor, "after", "lost");
            HttpResponse<String> consistent = survivor.get("/v1/kv/before?consistent");

            for (HttpResponse<String> refused : new HttpResponse[] {write, consistent}) {
                assertThat(refused.statusCode()).isEqualTo(500);
                assertThat(refused.body()).hasLineCount(1)
                        .matches("No cluster leader\n|rpc error making call: .*\n")
                        .doesNotContain("Exception", "io.atomix", "127.0.0.");
            }
            if (write.body().contains("timed out") || write.body().contains("lost contact")) {
                assertThat(write.body()).contains("may");
            }
            assertThat(survivor.get("/v1/kv/before?stale&raw").body()).isEqualTo("committed");

            // The etcd port: a quorum read is refused as etcd refuses one (errorCode 300, the cause in one line),
            // a plain read still serves the server's own state.
            HttpResponse<String> quorum = etcdGet(survivor, "/v2/keys/before?quorum=true");
            assertThat(quorum.statusCode()).isEqualTo(500);
            assertThat(quorum.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(quorum.body()).startsWith("{\"errorCode\":300,\"message\":\"Raft Internal Error\",\"cause\":\"")
                    .doesNotContain("Exception", "io.atomix", "127.0.0.");
            assertThat(etcdGet(survivor, "/v2/keys/before").body()).contains("\"value\":\"committed\"");
            // etcd's metrics count the refused write as a failed proposal, as an etcd member counts one.
            assertThat(failedProposals(survivor)).isGreaterThan(failedBefore);
            // Without a majority it knows no leader for long: it stops being ready, but stays alive.
            await().atMost(TestCluster.FORMATION)
                    .until(() -> survivor.get("/actuator/health/readiness").statusCode() == 503);
            assertThat(survivor.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        }
    }

    private static long failedProposals(BeaconNode node) {
        String metrics = etcdGet(node, "/metrics").body();
        return metrics.lines().filter(line -> line.startsWith("etcd_server_proposals_failed_total "))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    private static HttpResponse<String> etcdGet(BeaconNode node, String path) {
        return node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.etcdPort() + path))
                .timeout(Duration.ofSeconds(60)).GET().build());
    }

    private static HttpResponse<String> put(BeaconNode node, String key, String value) {
        return node.send(HttpRequest.newBuilder(node.uri("/v1/kv/" + key))
                .timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.ofString(value)).build());
    }
}
