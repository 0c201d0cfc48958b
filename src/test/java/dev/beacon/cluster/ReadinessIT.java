package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that has not joined a cluster is alive but says it is not ready, so no traffic is sent its way. */
class ReadinessIT {

    @Test
    void aServerWaitingForItsPeersIsAliveButNotReady(@TempDir Path dir) {
        int raftPort = TestCluster.freePort();
        // Its two peers never start: it cannot form a cluster.
        try (BeaconNode lonely = new BeaconNode("lonely", "127.0.0.1", raftPort,
                List.of("127.0.0.2:" + raftPort, "127.0.0.3:" + raftPort), dir).start()) {
            HttpResponse<String> readiness = lonely.get("/actuator/health/readiness");
            HttpResponse<String> health = lonely.get("/actuator/health");

            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(readiness.body()).contains("\"cluster\"", "OUT_OF_SERVICE", "\"joined\":false");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(lonely.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(lonely.get("/v1/status/leader").body()).isEqualTo("\"\"");
        }
    }
}
