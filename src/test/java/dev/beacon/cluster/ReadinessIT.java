package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that has not joined a cluster is alive but says it is not ready, so no traffic is sent its way, and it
 * stops cleanly.
 */
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

    @Test
    void aServerStoppedBeforeItJoinedLeavesNoRaftServerRunning(@TempDir Path dir) {
        Set<Thread> before = raftThreads();
        int raftPort = TestCluster.freePort();
        BeaconNode lonely = new BeaconNode("stranded", "127.0.0.1", raftPort,
                List.of("127.0.0.2:" + raftPort, "127.0.0.3:" + raftPort), dir).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !difference(raftThreads(), before).isEmpty());

        lonely.stop();

        // Atomix alone left it polling its absent peers from its thread for as long as the JVM lived.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(difference(raftThreads(), before)).extracting(Thread::getName).isEmpty());
    }

    private static Set<Thread> raftThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("raft-server-"))
                .collect(Collectors.toSet());
    }

    private static Set<Thread> difference(Set<Thread> threads, Set<Thread> minus) {
        Set<Thread> left = new HashSet<>(threads);
        left.removeAll(minus);
        return left;
    }
}
