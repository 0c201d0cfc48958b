package dev.beacon.cluster.atomix;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;

import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.roles.LeaderRole;
import io.atomix.protocols.raft.session.RaftSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a Raft leader go on with a session's commands that Atomix parked for a gap in their sequence that was never
 * there.
 * <p>
 * Atomix 3.1's leader commits a session's commands in the order of their sequence numbers, and parks one that
 * arrives ahead of the session's next expected number until the missing ones come. That number is a plain field of
 * {@code RaftSession} which two threads raise without synchronization, each taking the larger of it and their own
 * value: the Raft thread for every command it commits ({@code LeaderRole.onCommand}) and the state machine's thread
 * for every result it records ({@code registerResult}). When the state machine's write lands on a value it read
 * before the Raft thread's, the number goes back to an earlier command, and the leader parks the session's next
 * commands as if some were missing. The state machine's later results raise the number again, but only a new
 * command of that session drains what was parked, and a server's session had all its commands in flight parked:
 * nothing moved until its client timed out and resent them, 5 s later. With one server of three down, writes at 64
 * clients stalled that way for 5 s every 10-20 s (bench/README.md).
 * <p>
 * Every {@link #INTERVAL}, on the partition's Raft thread while it leads, a session whose next expected command is
 * among its parked ones has them committed by the leader's own drain, in sequence order, as a resent command would.
 * A command parked for a real gap is left alone: its predecessor is not the next expected one.
 */
final class ParkedCommands {
    private static final Logger log = LoggerFactory.getLogger(ParkedCommands.class);
    private static final Method DRAIN = RaftIntrospection.accessibleMethod(LeaderRole.class, "drainCommands",
            long.class, RaftSession.class);
    /** Small against the client's 5 s resend, large against a check of a few sessions. */
    static final Duration INTERVAL = Duration.ofMillis(50);
    /** At most one log line per this much time, with the count since the last one. */
    private static final long REPORT_NANOS = Duration.ofMinutes(1).toNanos();

    private final RaftContext raft;
    /** Only written on the Raft thread. */
    private volatile long released;
    /** Only touched on the Raft thread: {@link #released} when last logged, and when. */
    private long reported;
    private long reportedAt;

    private ParkedCommands(RaftContext raft) {
        this.raft = raft;
        this.reportedAt = System.nanoTime() - REPORT_NANOS;
    }

    /**
     * Starts watching the partition's Raft server, for as long as it runs.
     *
     * @return the watch, or null if this server has no Raft server in the partition
     */
    static ParkedCommands start(RaftPartition partition) {
        RaftServer server = RaftIntrospection.serverOf(partition);
        if (server == null) {
            return null;
        }
        RaftContext raft = RaftIntrospection.contextOf(server);
        ParkedCommands parked = new ParkedCommands(raft);
        raft.getThreadContext().schedule(INTERVAL, INTERVAL, () -> {
            try {
                parked.release();
            } catch (RuntimeException e) {
                // A failure here must not end the schedule, nor disturb the Raft thread it runs on.
                log.debug("Could not check the sessions' parked commands", e);
            }
        });
        return parked;
    }

    /** How many parked commands this watch has had committed since it started. */
    long released() {
        return released;
    }

    private void release() {
        if (!(raft.getRaftRole() instanceof LeaderRole leader)) {
            return;
        }
        for (RaftSession session : raft.getSessions().getSessions()) {
            long next = session.nextRequestSequence();
            if (session.getCommand(next) == null) {
                continue;
            }
            int before = session.getCommands().size();
            drain(leader, next, session);
            released += before - session.getCommands().size();
        }
        report();
    }

    private static void drain(LeaderRole leader, long from, RaftSession session) {
        try {
            DRAIN.invoke(leader, from, session);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    private void report() {
        long now = System.nanoTime();
        if (released > reported && now - reportedAt >= REPORT_NANOS) {
            log.info("Committed {} commands that Atomix had parked behind a sequence gap that was not there "
                    + "(its sessions' sequence race)", released - reported);
            reported = released;
            reportedAt = now;
        }
    }
}
