package dev.beacon.cluster;

import java.time.Duration;

/**
 * How fast Raft notices a dead leader. A follower that hears nothing from the leader for between one and two
 * election timeouts (a random pick, so that followers rarely stand at once) starts an election; the leader sends
 * a heartbeat every heartbeat interval, and steps down after two election timeouts without hearing from a
 * majority. Several heartbeats must fit in one election timeout, or a single late one starts an election.
 */
public record RaftTimeouts(Duration electionTimeout, Duration heartbeatInterval) {

    public RaftTimeouts {
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("the Raft heartbeat interval must be positive: " + heartbeatInterval);
        }
        if (electionTimeout.compareTo(heartbeatInterval.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("the Raft election timeout (" + electionTimeout.toMillis()
                    + " ms) must be at least 3 heartbeat intervals (" + heartbeatInterval.toMillis() + " ms)");
        }
    }
}
