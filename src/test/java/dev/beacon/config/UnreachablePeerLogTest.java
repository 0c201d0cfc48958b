package dev.beacon.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

/** The lines as Atomix 3.1's contextual logger hands them to Logback. */
class UnreachablePeerLogTest {
    private static final String FOLLOWER = "io.atomix.protocols.raft.roles.FollowerRole";
    private static final String CANDIDATE = "io.atomix.protocols.raft.roles.CandidateRole";

    private final LoggerContext context = new LoggerContext();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final UnreachablePeerLog filter = new UnreachablePeerLog(nanos::get);

    @Test
    void failedPollsAreSwallowedAndCountedUntilTheNextReport() {
        ch.qos.logback.classic.Logger follower = context.getLogger(FOLLOWER);
        Object[] params = {"java.net.ConnectException"};
        String format = "RaftServer{data-partition-1}{role=FOLLOWER} - {}";

        assertThat(filter.decide(null, follower, Level.WARN, format, params, null)).isEqualTo(FilterReply.DENY);
        assertThat(filter.leftOut()).as("the first one is reported").isZero();
        filter.decide(null, follower, Level.WARN, format, params, null);
        filter.decide(null, context.getLogger(CANDIDATE), Level.WARN,
                "RaftServer{system-partition-1}{role=CANDIDATE} - Connection refused: /127.0.0.2:8300", null, null);
        assertThat(filter.leftOut()).isEqualTo(2);

        nanos.addAndGet(31_000_000_000L);
        filter.decide(null, follower, Level.WARN, format, params, null);
        assertThat(filter.leftOut()).as("reported with the count, which starts again").isZero();
    }

    @Test
    void theReportSaysWhatTheLastLineSaidWithoutTheServersDescription() {
        assertThat(filter.detail(context.getLogger(FOLLOWER), Level.WARN,
                "RaftServer{data-partition-1}{role=FOLLOWER} - {}", new Object[] {"java.net.ConnectException"}, null))
                .isEqualTo("java.net.ConnectException");
        assertThat(filter.detail(context.getLogger(CANDIDATE), Level.WARN,
                "RaftServer{data-partition-1}{role=CANDIDATE} - Request timed out in 500 milliseconds", null, null))
                .isEqualTo("Request timed out in 500 milliseconds");
    }

    @Test
    void otherLinesAndLevelChecksPassThrough() {
        ch.qos.logback.classic.Logger follower = context.getLogger(FOLLOWER);
        assertThat(filter.decide(null, follower, Level.WARN, null, null, null))
                .as("isWarnEnabled(), asked before the line").isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, follower, Level.DEBUG, "Polling {} for next term {}", new Object[] {"a", 2},
                null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, context.getLogger("io.atomix.protocols.raft.roles.LeaderRole"), Level.WARN,
                "{}", new Object[] {"java.net.ConnectException"}, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.leftOut()).isZero();
    }
}
