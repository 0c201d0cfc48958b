package dev.beacon.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What this server knows of the cluster: whether it has joined, the leader, the Raft peers and the members. */
public interface ClusterView {
    ClusterSettings settings();

    /** Completes once this server has joined and the store can be used. */
    CompletableFuture<Void> whenReady();

    boolean isReady();

    /** The leader's {@code host:port}, if this server knows one. */
    Optional<String> leader();

    boolean isLeader();

    /**
     * Whether this server may answer a default-mode read from its own state now: it leads, has applied what the
     * leaders before it committed, and a majority acknowledged one of its heartbeats recently enough that no other
     * server can have been elected since.
     */
    boolean mayAnswerDefaultReads();

    /** This server's current Raft term, 0 before it has joined. */
    long term();

    /**
     * The highest Raft index this server knows to be committed, 0 before it has joined. Read without the consensus
     * engine's lock: it may lag the engine by an entry or two, which is enough for the metrics it serves.
     */
    long commitIndex();

    /**
     * Consul's X-Consul-LastContact: 0 while a leader is known, else how long ago one was last known (an upper
     * bound of the time since this server last heard from a leader).
     */
    long lastContactMillis();

    /**
     * On the leader, for each other Raft server that has answered it, how many milliseconds ago it last did (the
     * figure Consul's autopilot shows as LastContact). Empty on other servers: only the leader knows.
     */
    Map<String, Long> followerLastContact();

    /** The servers in the Raft configuration (voters, and any not yet promoted), in address order. */
    List<RaftPeer> peers();

    /** Every member cluster membership knows of, alive or not, in address order. */
    List<ClusterMember> members();

    /**
     * For each Raft voter ({@code host:port}), whether cluster membership sees it alive right now. A
     * server membership has forgotten (it failed long enough ago) counts as not alive.
     */
    Map<String, Boolean> serverLiveness();
}
