package dev.beacon.cluster.atomix;

import io.atomix.primitive.session.SessionClient;
import io.atomix.primitive.session.impl.DelegatingSessionClient;
import io.atomix.primitive.session.impl.RecoveringSessionClient;
import io.atomix.protocols.raft.impl.DefaultRaftClient;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.partition.impl.RaftPartitionClient;
import io.atomix.protocols.raft.session.impl.DefaultRaftSessionClient;
import io.atomix.protocols.raft.session.impl.RaftSessionManager;

/**
 * The private parts of Atomix 3.1's Raft sessions that Beacon steers: the session under its wrappers, its
 * invoker (which holds the operations in flight) and the partition client's session manager. Package-private
 * in Atomix, so reached by reflection, like {@link RaftIntrospection}'s.
 */
final class RaftSessions {
    private RaftSessions() {
    }

    /** The Raft session under Atomix's wrappers, or null while a recovering client has none. */
    static DefaultRaftSessionClient unwrap(SessionClient session) {
        Object current = session;
        while (current != null && !(current instanceof DefaultRaftSessionClient)) {
            if (current instanceof RecoveringSessionClient) {
                current = RaftIntrospection.field(RecoveringSessionClient.class, "session", current);
            } else if (current instanceof DelegatingSessionClient) {
                current = RaftIntrospection.field(DelegatingSessionClient.class, "session", current);
            } else {
                return null;
            }
        }
        return (DefaultRaftSessionClient) current;
    }

    static RaftSessionManager managerOf(RaftPartition partition) {
        Object client = RaftIntrospection.field(RaftPartitionClient.class, "client", partition.getClient());
        return (RaftSessionManager) RaftIntrospection.field(DefaultRaftClient.class, "sessionManager", client);
    }

    /** The session's invoker, or null before it has one. */
    static Object invokerOf(DefaultRaftSessionClient session) {
        return RaftIntrospection.field(DefaultRaftSessionClient.class, "proxyInvoker", session);
    }

    /** Sends every operation the invoker has in flight again, with its sequence number. */
    static void resendPending(Object invoker) {
        try {
            RaftIntrospection.accessibleMethod(invoker.getClass(), "reset").invoke(invoker);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot resend the session's pending operations", e);
        }
    }
}
