package dev.beacon.cluster.atomix;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ObjDoubleConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.cluster.impl.RaftMemberContext;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;

/**
 * Samples, on the leader, how each follower answers the leader's AppendRequests (heartbeats included), for etcd's
 * /v2/stats/leader. Atomix 3.1 keeps no per-follower latency history we can read safely (RaftMemberContext's
 * 8-append window is private and not thread-safe), but for every answered AppendRequest its LeaderAppender
 * records, in the follower's RaftMemberContext, when the answered request was sent ({@code heartbeatTime}) and
 * when the answer arrived ({@code responseTime}), both in wall-clock milliseconds; and every failed request (no
 * answer in time, or an error) increments the follower's {@code failureCount}, which a success resets to 0.
 * <p>
 * Every {@link #INTERVAL}, on the data group's Raft thread (where Atomix writes those fields, so reads are
 * consistent) and only while this server leads:
 * <ul>
 * <li>if {@code responseTime} moved since the last sample: one success, with latency
 * {@code responseTime - heartbeatTime}: the round trip of the most recently answered AppendRequest, to the
 * millisecond (loopback shows 0-1 ms). Several answers within one interval count as one success: "success" counts
 * intervals in which the follower answered, not requests, and the latency statistics are of one sample per
 * interval. With two appends in flight the two timestamps can come from different requests, which can only make
 * the figure smaller than that request's round trip;</li>
 * <li>if {@code failureCount} grew: that many failures; if it went back down but is not 0 (a success, or
 * {@link ReturningFollowers}, reset it in between): the new count. Failures reset and not followed by another
 * within one interval are missed.</li>
 * </ul>
 * The data group is sampled because it is the one writes wait for. What a server learnt as leader stays in the
 * sink when it loses leadership (etcd's leader stats also outlive a term); a new leadership starts from fresh
 * baselines.
 */
public final class FollowerProbe {
    private static final Logger log = LoggerFactory.getLogger(FollowerProbe.class);
    static final Duration INTERVAL = Duration.ofMillis(100);

    private final AtomixCluster cluster;
    private final ObjDoubleConsumer<String> onSuccess;
    private final Consumer<String> onFailure;
    /** Per follower address, what the last sample saw. Only touched on the Raft thread. */
    private final Map<String, Seen> seen = new HashMap<>();

    /**
     * @param onSuccess called with the follower's Raft address ({@code host:port}) and the round trip in ms
     * @param onFailure called with the follower's Raft address, once per failed request
     */
    public FollowerProbe(AtomixCluster cluster, ObjDoubleConsumer<String> onSuccess, Consumer<String> onFailure) {
        this.cluster = cluster;
        this.onSuccess = onSuccess;
        this.onFailure = onFailure;
    }

    /** Starts sampling once the server has joined, for as long as it runs. */
    public void start() {
        cluster.whenReady().thenRun(() -> {
            List<RaftPartition> partitions = cluster.raftPartitions();
            // raftPartitions() is [system group, data group].
            RaftServer server = RaftIntrospection.serverOf(partitions.get(partitions.size() - 1));
            if (server == null) {
                log.warn("No local Raft server in the data group: etcd leader stats stay empty");
                return;
            }
            RaftContext raft = RaftIntrospection.contextOf(server);
            raft.getThreadContext().schedule(INTERVAL, INTERVAL, () -> {
                try {
                    sample(raft);
                } catch (RuntimeException e) {
                    // A failure here must not end the schedule, nor disturb the Raft thread it runs on.
                    log.debug("Could not sample the followers", e);
                }
            });
        });
    }

    private void sample(RaftContext raft) {
        if (raft.getRole() != RaftServer.Role.LEADER) {
            seen.clear();
            return;
        }
        for (RaftMemberContext follower : raft.getCluster().getRemoteMemberStates()) {
            String address = follower.getMember().memberId().id();
            Seen now = new Seen(follower.getResponseTime(), follower.getHeartbeatTime(), follower.getFailureCount());
            Seen before = seen.put(address, now);
            if (before == null) {
                // The first look after becoming leader only sets the baseline: earlier answers were to a former term.
                continue;
            }
            if (now.responseTime() > before.responseTime() && now.sentTime() > 0) {
                onSuccess.accept(address, Math.max(0, now.responseTime() - now.sentTime()));
            }
            int failed = now.failures() >= before.failures() ? now.failures() - before.failures() : now.failures();
            for (int i = 0; i < failed; i++) {
                onFailure.accept(address);
            }
        }
    }

    private record Seen(long responseTime, long sentTime, int failures) {
    }
}
