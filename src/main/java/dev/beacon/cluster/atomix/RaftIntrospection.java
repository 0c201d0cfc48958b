package dev.beacon.cluster.atomix;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.impl.DefaultRaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.partition.impl.RaftPartitionServer;
import io.atomix.protocols.raft.roles.LeaderRole;
import io.atomix.protocols.raft.storage.log.RaftLog;
import io.atomix.protocols.raft.storage.log.RaftLogReader;
import io.atomix.protocols.raft.storage.log.entry.RaftLogEntry;
import io.atomix.storage.journal.DelegatingJournalReader;
import io.atomix.storage.journal.JournalSegment;
import io.atomix.storage.journal.SegmentedJournal;
import io.atomix.storage.journal.SegmentedJournalReader;

/**
 * Reaches the Raft server behind a partition, and the other private parts of Atomix that Beacon needs. Atomix 3.1
 * exposes leader and term only through the partition's client, whose view can keep naming a dead leader; the
 * server's own role, term and leader are right, but Atomix keeps the server in private fields. Looked up once
 * and kept by the callers, never per request.
 */
final class RaftIntrospection {
    /** The leader's appender (Atomix's package-private {@code LeaderAppender}), which sends appends and heartbeats. */
    static final Field APPENDER = accessibleField(LeaderRole.class, "appender");

    private static final Field CONTEXT = accessibleField(DefaultRaftServer.class, "context");
    private static final Field LOG_JOURNAL = accessibleField(RaftLog.class, "journal");
    private static final Field READER_DELEGATE = accessibleField(DelegatingJournalReader.class, "delegate");

    private RaftIntrospection() {
    }

    static Object appenderOf(LeaderRole leader) {
        return field(APPENDER, leader);
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
        return (RaftContext) field(CONTEXT, server);
    }

    /** The segmented journal a Raft log keeps its entries in. */
    @SuppressWarnings("unchecked")
    static SegmentedJournal<RaftLogEntry> journalOf(RaftLog raftLog) {
        return (SegmentedJournal<RaftLogEntry>) field(LOG_JOURNAL, raftLog);
    }

    /** The journal's reader behind a Raft log reader: the object the journal keeps in its list of open readers. */
    @SuppressWarnings("unchecked")
    static SegmentedJournalReader<RaftLogEntry> journalReaderOf(RaftLogReader reader) {
        return (SegmentedJournalReader<RaftLogEntry>) field(READER_DELEGATE, reader);
    }

    /** The journal's last segment, the one being written. */
    static <E> JournalSegment<E> lastSegment(SegmentedJournal<E> journal) {
        List<JournalSegment<E>> segments = new ArrayList<>(journal.segments());
        return segments.get(segments.size() - 1);
    }

    /** The value of a private field of an Atomix object. */
    static Object field(Class<?> owner, String name, Object target) {
        return field(accessibleField(owner, name), target);
    }

    static Object field(Field field, Object target) {
        try {
            return field.get(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    static void setField(Class<?> owner, String name, Object target, Object value) {
        setField(accessibleField(owner, name), target, value);
    }

    static void setField(Field field, Object target, Object value) {
        try {
            field.set(target, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot write " + field, e);
        }
    }

    static Field accessibleField(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Atomix version does not have " + owner.getName() + "." + name, e);
        }
    }

    static Method accessibleMethod(Class<?> owner, String name, Class<?>... parameters) {
        try {
            Method method = owner.getDeclaredMethod(name, parameters);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Atomix version does not have " + owner.getName() + "." + name, e);
        }
    }
}
