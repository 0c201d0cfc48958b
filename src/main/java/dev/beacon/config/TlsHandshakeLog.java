package dev.beacon.config;

import javax.net.ssl.SSLException;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomix's server-to-server connections report a failed TLS handshake (a peer whose certificate another CA signed,
 * or one without TLS) through Netty's pipeline tail: a WARN with a stack trace per connection attempt, several a
 * second for as long as that peer keeps trying. This turns them into one line every 30 seconds saying what failed
 * and how often.
 */
final class TlsHandshakeLog extends SummarizedLog {
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeLog.class);
    private static final String NETTY_PIPELINE = "io.netty.channel.DefaultChannelPipeline";
    private static final TlsHandshakeLog INSTANCE = new TlsHandshakeLog();

    private TlsHandshakeLog() {
        super(System::nanoTime);
    }

    static void install() {
        SummarizedLog.install(INSTANCE);
    }

    @Override
    String detail(ch.qos.logback.classic.Logger logger, Level level, String format, Object[] params,
                  Throwable t) {
        if (t == null || !NETTY_PIPELINE.equals(logger.getName())) {
            return null;
        }
        SSLException handshake = sslCause(t);
        return handshake == null ? null : String.valueOf(handshake.getMessage());
    }

    @Override
    void report(long leftOut, String detail) {
        log.warn("A TLS handshake between servers failed ({} more since the last report): {}. Do all servers "
                + "have TLS on, with certificates from the same CA?", leftOut, detail);
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
