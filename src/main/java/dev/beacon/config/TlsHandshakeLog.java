package dev.beacon.config;

import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Atomix's server-to-server connections report a failed TLS handshake (a peer whose certificate another CA signed,
 * or one without TLS) through Netty's pipeline tail: a WARN with a stack trace per connection attempt, several a
 * second for as long as that peer keeps trying. This turns them into one line every 30 seconds saying what failed
 * and how often.
 */
final class TlsHandshakeLog extends TurboFilter {
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeLog.class);
    private static final String NETTY_PIPELINE = "io.netty.channel.DefaultChannelPipeline";
    private static final long INTERVAL_NANOS = 30_000_000_000L;
    private static final TlsHandshakeLog INSTANCE = new TlsHandshakeLog();

    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    private final AtomicLong leftOut = new AtomicLong();

    private TlsHandshakeLog() {
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
        if (t == null || !NETTY_PIPELINE.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        SSLException handshake = sslCause(t);
        if (handshake == null) {
            return FilterReply.NEUTRAL;
        }
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            log.warn("A TLS handshake between servers failed ({} more since the last report): {}. Do all servers "
                    + "have TLS on, with certificates from the same CA?", leftOut.getAndSet(0),
                    handshake.getMessage());
        } else {
            leftOut.incrementAndGet();
        }
        return FilterReply.DENY;
    }

    private static SSLException sslCause(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }
}
