package dev.beacon.config;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.netty.handler.codec.DecoderResultProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Reactor Netty answers a request it cannot decode (a bad request line, version or header) with 400, and logs a
 * WARN for each: a fuzzer or a port scanner fills the log. This turns them into one line every 30 seconds saying
 * how many there were and what the last one got wrong (issue 17: one WARN per kind per interval).
 */
final class MalformedRequestLog extends TurboFilter {
    static final String REACTOR_NETTY_SERVER = "reactor.netty.http.server.HttpServerOperations";
    private static final Logger log = LoggerFactory.getLogger(MalformedRequestLog.class);
    private static final long INTERVAL_NANOS = 30_000_000_000L;
    private static final String FAILURE = "failure(";
    private static final int MAX_CAUSE = 200;
    private static final MalformedRequestLog INSTANCE = new MalformedRequestLog(System::nanoTime);

    private final LongSupplier clock;
    private final AtomicLong lastLogged;
    private final AtomicLong leftOut = new AtomicLong();

    MalformedRequestLog(LongSupplier clock) {
        this.clock = clock;
        this.lastLogged = new AtomicLong(clock.getAsLong() - INTERVAL_NANOS);
    }

    /** Installs the filter in Logback, once per JVM (a JVM may run several servers: the tests do). */
    static synchronized void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && !context.getTurboFilterList().contains(INSTANCE)) {
            INSTANCE.start();
            context.addTurboFilter(INSTANCE);
        }
    }

    @Override
    public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                              Object[] params, Throwable t) {
        if (format == null || !REACTOR_NETTY_SERVER.equals(logger.getName()) || !format.contains("Decoding failed")) {
            return FilterReply.NEUTRAL;
        }
        long now = clock.getAsLong();
        long last = lastLogged.get();
        if (now - last >= INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            log.warn("Answered a request that was not valid HTTP with 400 ({} more since the last report): {}",
                    leftOut.getAndSet(0), what(format, params));
        } else {
            leftOut.incrementAndGet();
        }
        return FilterReply.DENY;
    }

    /**
     * What the request got wrong, without the request itself (its headers may hold a token): the decoder's failure,
     * which Reactor Netty writes into the line as {@code decodeResult: failure(<exception>)}, or passes as the
     * request object.
     */
    static String what(String format, Object[] params) {
        if (params != null) {
            for (Object param : params) {
                if (param instanceof DecoderResultProvider decoded && decoded.decoderResult().cause() != null) {
                    return decoded.decoderResult().cause().toString();
                }
                String cause = failureIn(String.valueOf(param));
                if (cause != null) {
                    return cause;
                }
            }
        }
        String cause = failureIn(format);
        return cause != null ? cause : "undecodable request";
    }

    /** The {@code failure(...)} a request's description names, or null. */
    private static String failureIn(String text) {
        int failure = text.indexOf(FAILURE);
        if (failure < 0) {
            return null;
        }
        int end = text.indexOf('\n', failure);
        int closed = text.indexOf("), ", failure);
        if (closed >= 0 && (end < 0 || closed < end)) {
            end = closed;
        }
        String cause = text.substring(failure + FAILURE.length(), end < 0 ? text.length() : end).strip();
        while (cause.endsWith(")")) {
            cause = cause.substring(0, cause.length() - 1);
        }
        return cause.length() > MAX_CAUSE ? cause.substring(0, MAX_CAUSE) + "..." : cause;
    }

    long leftOut() {
        return leftOut.get();
    }
}
