package dev.beacon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * what an orchestrator hears: not ready, still alive.
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
            // Without a majority it knows no leader for long: it stops being ready, but stays alive.
            await().atMost(TestCluster.FORMATION)
                    .until(() -> survivor.get("/actuator/health/readiness").statusCode() == 503);
            assertThat(survivor.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> put(BeaconNode node, String key, String value) {
        return node.send(HttpRequest.newBuilder(node.uri("/v1/kv/" + key))
                .timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.ofString(value)).build());
    }
}
