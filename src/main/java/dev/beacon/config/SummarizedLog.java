package dev.beacon.config;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * A log line that a library writes once per event, turned into one report every 30 seconds with a count of those
 * left out since the last: subclasses say which lines they take and how the report reads.
 */
abstract class SummarizedLog extends TurboFilter {
    private static final long INTERVAL_NANOS = 30_000_000_000L;

    private final LongSupplier clock;
    private final AtomicLong lastLogged;
    private final AtomicLong leftOut = new AtomicLong();

    SummarizedLog(LongSupplier clock) {
        this.clock = clock;
        this.lastLogged = new AtomicLong(clock.getAsLong() - INTERVAL_NANOS);
    }

    /** Installs a filter in Logback, once per JVM (a JVM may run several servers: the tests do). */
    static synchronized void install(SummarizedLog filter) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && !context.getTurboFilterList().contains(filter)) {
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    /** What a line this filter takes is about, for the report; null for a line it lets through. */
    abstract String detail(ch.qos.logback.classic.Logger logger, Level level, String format, Object[] params,
                           Throwable t);

    /** Logs the report: {@code leftOut} lines taken since the last one, and the detail of this one. */
    abstract void report(long leftOut, String detail);

    @Override
    public final FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                                    Object[] params, Throwable t) {
        String detail = detail(logger, level, format, params, t);
        if (detail == null) {
            return FilterReply.NEUTRAL;
        }
        long now = clock.getAsLong();
        long last = lastLogged.get();
        if (now - last >= INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            report(leftOut.getAndSet(0), detail);
        } else {
            leftOut.incrementAndGet();
        }
        return FilterReply.DENY;
    }

    long leftOut() {
        return leftOut.get();
    }
}
