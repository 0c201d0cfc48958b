package dev.beacon.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One server's clock an hour ahead of the others' (libfaketime; `.ci/run` installs Debian's {@code faketime}):
 * sessions keep to their TTLs when that server takes the lead, and after it has led. About three minutes of
 * restarts until that server leads, so it runs with the fault profile ({@code mvn -B verify -Pfault}).
 */
@Tag("fault")
class ClockSkewIT {
    private static final Duration SERVING = Duration.ofSeconds(120);
    private static final int MAX_KILLS = 8;

    private final ConsulHttp http = new ConsulHttp(Duration.ofSeconds(5));

    @Test
    void aLeaderWhoseClockIsAheadEndsNoLiveSessionAndTimeGoesOnAfterIt() throws Exception {
        assertThat(ServerProcess.FAKETIME).as("Debian's faketime (apt install faketime)").matches(Files::exists);
        Path dir = Path.of("target", "fault", "skew-" + Instant.now().toString().replace(':', '-'));
        try (FaultCluster cluster = new FaultCluster(dir.toAbsolutePath())) {
            ServerProcess fast = cluster.servers().get(2);
            fast.clockAhead(Duration.ofHours(1));
            cluster.startAll();
            ServerProcess leader = cluster.awaitHealthy(SERVING);
            for (int restart = 0; restart < MAX_KILLS && leader == fast; restart++) {
                fast.kill();
                awaitLeader(cluster);
                fast.start();
                leader = cluster.awaitHealthy(SERVING);
            }
            assertThat(leader).as("a true-clock server led").isNotSameAs(fast);

            // Until the fast server leads: a session created under a true-clock leader, then that leader killed.
            String session = null;
            ServerProcess killed = null;
            for (int kill = 0; kill < MAX_KILLS && leader != fast; kill++) {
                if (killed != null) {
                    killed.start();
                    killed = null;
                    leader = cluster.awaitHealthy(SERVING);
                    if (leader == fast) {
                        break;
                    }
                }
                session = http.createSession(fast, "skew", "60s");
                assertThat(session).as("session created through the fast server").isNotNull();
                leader.kill();
                killed = leader;
                leader = awaitLeader(cluster).orElseThrow();
            }
            assertThat(leader).as("the fast server led within " + MAX_KILLS + " kills").isSameAs(fast);
            // Its renewal time was stamped by a clock an hour behind the new leader's; it has 60 s of TTL left at
            // least, and the new leader's first pass comes within a second.
            Thread.sleep(5_000);
            assertThat(http.get(fast, "/v1/session/info/" + session + "?consistent"))
                    .as("the session after the fast server took over").contains(session);
            if (killed != null) {
                killed.start();
            }
            cluster.awaitHealthy(SERVING);

            // A true-clock leader again: time in the store moves on from there, and a 10 s session lapses.
            fast.kill();
            ServerProcess truth = awaitLeader(cluster).orElseThrow();
            String shortLived = http.createSession(truth, "after-skew", "10s");
            assertThat(shortLived).isNotNull();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> "[]".equals(http.get(truth, "/v1/session/info/" + shortLived + "?stale")));
        }
    }

    /** The leader the running servers agree on, once one takes a write. */
    private Optional<ServerProcess> awaitLeader(FaultCluster cluster) {
        return await().atMost(SERVING).pollInterval(Duration.ofMillis(200)).until(() -> cluster.leader()
                .filter(cluster::serves), Optional::isPresent);
    }
}
