package dev.beacon.config;

import java.util.function.LongSupplier;

import ch.qos.logback.classic.Level;
import io.netty.handler.codec.DecoderResultProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reactor Netty answers a request it cannot decode (a bad request line, version or header) with 400, and logs a
 * WARN for each: a fuzzer or a port scanner fills the log. This turns them into one line every 30 seconds saying
 * how many there were and what the last one got wrong (issue 17: one WARN per kind per interval).
 */
final class MalformedRequestLog extends SummarizedLog {
    static final String REACTOR_NETTY_SERVER = "reactor.netty.http.server.HttpServerOperations";
    private static final Logger log = LoggerFactory.getLogger(MalformedRequestLog.class);
    private static final String FAILURE = "failure(";
    private static final int MAX_CAUSE = 200;
    private static final MalformedRequestLog INSTANCE = new MalformedRequestLog(System::nanoTime);

    MalformedRequestLog(LongSupplier clock) {
        super(clock);
    }

    static void install() {
        SummarizedLog.install(INSTANCE);
    }

    @Override
    String detail(ch.qos.logback.classic.Logger logger, Level level, String format, Object[] params,
                  Throwable t) {
        if (format == null || !REACTOR_NETTY_SERVER.equals(logger.getName()) || !format.contains("Decoding failed")) {
            return null;
        }
        return what(format, params);
    }

    @Override
    void report(long leftOut, String detail) {
        log.warn("Answered a request that was not valid HTTP with 400 ({} more since the last report): {}",
                leftOut, detail);
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
}
