package dev.beacon.cluster.atomix;

import java.lang.reflect.Field;

import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.impl.DefaultRaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.partition.impl.RaftPartitionServer;

/**
 * Reaches the Raft server behind a partition. Atomix 3.1 exposes leader and term only through the partition's
 * client, whose view can keep naming a dead leader; the server's own role, term and leader are right, but Atomix
 * keeps the server in private fields. Read once per lookup, never on a request's hot path.
 */
final class RaftIntrospection {
    private RaftIntrospection() {
    }

    /** The partition's local Raft server, or null if this node does not host one (yet). */
    static RaftServer serverOf(RaftPartition partition) {
        Object partitionServer = field(RaftPartition.class, "server", partition);
        if (partitionServer == null) {
            return null;
        }
        return (RaftServer) field(RaftPartitionServer.class, "server", partitionServer);
    }

    /** The server's Raft context, where the leader keeps what it knows of each follower. */
    static RaftContext contextOf(RaftServer server) {
        return (RaftContext) field(DefaultRaftServer.class, "context", server);
    }

    private static Object field(Class<?> owner, String name, Object target) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Atomix version does not have " + owner.getName() + "." + name, e);
        }
    }
}
