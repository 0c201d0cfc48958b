package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.RaftTimeouts;
import io.atomix.cluster.MemberId;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.protocol.PollRequest;
import io.atomix.protocols.raft.protocol.PollResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that hears from its leader refuses a pre-vote, even for a candidate whose log is as long as its own
 * (as a server restarted into a running cluster polls before its leader reaches it), and grants it once the
 * leader has gone quiet. The polls are sent as a candidate would, over the Raft messaging, with an up-to-date log.
 */
class LeaderStickinessIT {
    private static final RaftTimeouts TIMEOUTS = new RaftTimeouts(Duration.ofMillis(1000), Duration.ofMillis(150));

    private ThreeRaftServers servers;

    @AfterEach
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void aFollowerRefusesAPreVoteWhileItsLeaderIsHeardAndGrantsItOnceTheLeaderIsQuiet(@TempDir Path dir)
            throws Exception {
        servers = new ThreeRaftServers(dir, TIMEOUTS);
        int leader = servers.start();
        int follower = ThreeRaftServers.followersOf(leader).get(0);
        int candidate = ThreeRaftServers.followersOf(leader).get(1);

        // A few tries, so that one heartbeat delayed past two intervals on a busy machine cannot decide the test;
        // Atomix alone grants every one of them.
        List<Boolean> whileHeard = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            whileHeard.add(poll(leader, follower, candidate).accepted());
        }
        assertThat(whileHeard).as("pre-votes granted while the leader's heartbeats arrive").contains(false);

        servers.stopHeartbeats(leader);
        Thread.sleep(TIMEOUTS.heartbeatInterval().multipliedBy(4).toMillis());
        assertThat(poll(leader, follower, candidate).accepted()).as("pre-vote once the leader is quiet").isTrue();
    }

    /** A poll of {@code follower} for {@code candidate}, whose log is claimed to reach past the follower's. */
    private PollResponse poll(int sender, int follower, int candidate) throws Exception {
        RaftContext target = servers.dataGroup(follower);
        MemberId candidateId = servers.dataGroup(candidate).getCluster().getMember().memberId();
        PollRequest request = PollRequest.builder()
                .withTerm(target.getTerm())
                .withCandidate(candidateId)
                .withLastLogIndex(Long.MAX_VALUE / 2)
                .withLastLogTerm(target.getTerm())
                .build();
        return servers.dataGroup(sender).getProtocol()
                .poll(target.getCluster().getMember().memberId(), request).get(10, TimeUnit.SECONDS);
    }
}
