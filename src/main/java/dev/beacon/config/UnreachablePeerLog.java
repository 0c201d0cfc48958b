package dev.beacon.config;

import java.util.Set;
import java.util.function.LongSupplier;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomix's Raft follower and candidate log a WARN for every poll or vote request that does not reach a server, with
 * only the failure's message ({@code java.net.ConnectException}): while a server is down, each of the others logs
 * a pair of them per partition every second or two. This turns them into one line every 30 seconds saying how many
 * there were and what the last one said (issue 17: one WARN per kind per interval).
 */
final class UnreachablePeerLog extends SummarizedLog {
    private static final Set<String> RAFT_ROLES = Set.of("io.atomix.protocols.raft.roles.FollowerRole",
            "io.atomix.protocols.raft.roles.CandidateRole");
    private static final Logger log = LoggerFactory.getLogger(UnreachablePeerLog.class);
    /** What Atomix's contextual logger puts between the server's description and the line. */
    private static final String CONTEXT_SEPARATOR = " - ";
    private static final UnreachablePeerLog INSTANCE = new UnreachablePeerLog(System::nanoTime);

    UnreachablePeerLog(LongSupplier clock) {
        super(clock);
    }

    static void install() {
        SummarizedLog.install(INSTANCE);
    }

    /** Both roles' only WARN is this one; their other lines (DEBUG and below) pass through. */
    @Override
    String detail(ch.qos.logback.classic.Logger logger, Level level, String format, Object[] params,
                  Throwable t) {
        // The level first: every log call of every logger comes through here.
        if (level != Level.WARN || format == null || !RAFT_ROLES.contains(logger.getName())) {
            return null;
        }
        if (params != null && params.length > 0) {
            return String.valueOf(params[0]);
        }
        int separator = format.lastIndexOf(CONTEXT_SEPARATOR);
        return separator < 0 ? format : format.substring(separator + CONTEXT_SEPARATOR.length());
    }

    @Override
    void report(long leftOut, String detail) {
        log.warn("A Raft poll or vote did not reach another server ({} more since the last report): {}", leftOut,
                detail);
    }
}
