package dev.beacon.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * A server that died for good is taken out of the Raft configuration and a new server with another address
 * joins, while the two healthy servers run on: they are never restarted or reconfigured.
 */
class ReplaceServerIT {
    private static final Duration SERVING = Duration.ofSeconds(120);
    private static final Pattern ADDRESS = Pattern.compile("\"Address\":\"([^\"]+)\"");
    private static final int KEYS = 100;

    private final ConsulHttp http = new ConsulHttp(Duration.ofSeconds(5));

    @Test
    void aDeadServerIsRemovedAndANewOneJoinsWithAllTheDataWhileTheOthersRunOn() throws Exception {
        Path dir = Path.of("target", "fault", "replace-" + Instant.now().toString().replace(':', '-'));
        try (FaultCluster cluster = new FaultCluster(dir.toAbsolutePath())) {
            cluster.startAll();
            ServerProcess leader = cluster.awaitHealthy(SERVING);
            for (int i = 0; i < KEYS; i++) {
                assertThat(http.put(leader, "replace/k" + i, "v" + i, null)).isEqualTo(Op.Outcome.OK);
            }
            ServerProcess first = cluster.servers().get(0);
            ServerProcess second = cluster.servers().get(1);
            ServerProcess dead = cluster.servers().get(2);
            dead.kill();

            assertThat(http.delete(first, "/v1/operator/raft/peer?address=" + first.raftAddress()))
                    .as("a running server may not be removed").isEqualTo(400);
            awaitRemoved(first, dead);
            assertThat(raftServers(first)).containsExactlyInAnyOrder(first.raftAddress(), second.raftAddress());

            ServerProcess newcomer = cluster.replace(dead, 4);
            cluster.awaitHealthy(SERVING);
            for (ServerProcess server : cluster.servers()) {
                assertThat(raftServers(server)).as("Raft servers seen by server %d", server.number())
                        .containsExactlyInAnyOrder(first.raftAddress(), second.raftAddress(), newcomer.raftAddress());
            }
            String keys = http.get(newcomer, "/v1/kv/replace/?keys&stale");
            assertThat(keys).as("keys on the new server").isNotNull();
            assertThat(keys.split(",")).hasSize(KEYS);
            assertThat(http.read(newcomer, "replace/k7", Op.ReadMode.STALE).value()).isEqualTo("v7");

            // The newcomer votes and the dead server no longer counts: without the second server, the first and
            // the newcomer are a majority.
            second.kill();
            cluster.secondsToFirstWrite(List.of(first, newcomer), System.nanoTime(), SERVING);

            // The second server's configuration still names the dead server and not the newcomer; it rejoins.
            second.start();
            cluster.awaitHealthy(SERVING);
            assertThat(http.read(second, "replace/k7", Op.ReadMode.CONSISTENT).value()).isEqualTo("v7");
        }
    }

    /** Removes the server through {@code via}, again while the cluster elects a leader (the dead one may have led). */
    private void awaitRemoved(ServerProcess via, ServerProcess dead) throws InterruptedException {
        long deadline = System.nanoTime() + SERVING.toNanos();
        int status;
        do {
            status = http.delete(via, "/v1/operator/raft/peer?address=" + dead.raftAddress());
            if (status == 200) {
                return;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("server " + dead.raftAddress() + " was not removed; last answer " + status);
    }

    private List<String> raftServers(ServerProcess server) {
        String body = http.get(server, "/v1/operator/raft/configuration");
        assertThat(body).as("Raft configuration through server %d", server.number()).isNotNull();
        Matcher address = ADDRESS.matcher(body);
        return address.results().map(match -> match.group(1)).toList();
    }
}
