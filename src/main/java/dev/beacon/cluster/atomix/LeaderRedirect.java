package dev.beacon.cluster.atomix;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.atomix.cluster.MemberId;
import io.atomix.primitive.session.SessionClient;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.session.impl.DefaultRaftSessionClient;
import io.atomix.protocols.raft.session.impl.RaftSessionConnection;
import io.atomix.protocols.raft.session.impl.RaftSessionManager;

/**
 * Sends this server's in-flight and future operations to a new leader as soon as this server's own Raft replica
 * learns of it.
 * <p>
 * Atomix 3.1's session client learns of a new leader only from answers to its own requests: it sticks to the member
 * it last reached until a request to it fails, a paused or cut-off leader fails them only by timing out (up to 5 s
 * each), and a failed operation is retried 1, 1, 2, 3 and 5 s later. A leader lost while writes were in flight thus
 * held every write of this server for 5-15 s after a new leader was elected (the servers are never told: the
 * leader's heartbeat to clients exists in Atomix 3.1 but nothing sends it). This server is a Raft member of the
 * same partition, so it knows the new leader within a heartbeat; this hands that to the session clients, on their
 * own threads: the connections drop the member they stuck to, the selectors put the new leader first, and every
 * pending operation is sent again at once. Commands carry session sequence numbers, so one that reaches the leader
 * twice is applied once.
 */
final class LeaderRedirect {
    private final RaftPartition partition;
    private final Supplier<List<SessionClient>> sessions;

    LeaderRedirect(RaftPartition partition, Supplier<List<SessionClient>> sessions) {
        this.partition = partition;
        this.sessions = sessions;
    }

    /** Called with each leader this server's replica finds. */
    void leaderFound(MemberId leader) {
        Collection<MemberId> members = members();
        if (!members.contains(leader)) {
            return;
        }
        RaftSessionManager manager = RaftSessions.managerOf(partition);
        for (SessionClient session : sessions.get()) {
            DefaultRaftSessionClient raftSession = RaftSessions.unwrap(session);
            if (raftSession == null) {
                continue;
            }
            raftSession.context().execute(() -> {
                Object invoker = RaftSessions.invokerOf(raftSession);
                if (invoker == null) {
                    return;
                }
                for (String connection : List.of("leaderConnection", "sessionConnection")) {
                    Object c = RaftIntrospection.field(invoker.getClass(), connection, invoker);
                    RaftIntrospection.setField(RaftSessionConnection.class, "currentNode", c, null);
                }
                manager.resetConnections(leader, members);
                RaftSessions.resendPending(invoker);
            });
        }
    }

    /**
     * The configured members, and those the Raft configuration has gained since: a server that joined a running
     * cluster is in neither this server's configuration nor its sessions' lists, and may lead.
     */
    private Collection<MemberId> members() {
        Set<MemberId> members = new LinkedHashSet<>(partition.members());
        RaftServer server = RaftIntrospection.serverOf(partition);
        if (server != null) {
            server.cluster().getMembers().forEach(member -> members.add(member.memberId()));
        }
        return members;
    }
}
