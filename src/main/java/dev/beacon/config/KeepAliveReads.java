package dev.beacon.config;

/**
 * Works around a Reactor Netty 1.3.6 bug that can leave a kept-alive connection unread forever: when a client sends
 * its next request before the server has finished with the previous one (it answered it, but its operations have
 * not terminated yet), the request is queued and, if it then completes at once, the connection is never read again
 * (reactor-netty #4361, #4347). The client waits until its own timeout; nothing is logged. Seen here as tests whose
 * request, on a reused connection, got no answer in five minutes while every event loop was idle. Reactor Netty's
 * {@code lastFlushWhenNoRead} setting terminates the previous request's operations before the next request is
 * read, which closes that path. Drop this once a Reactor Netty release with the fix is available.
 */
final class KeepAliveReads {
    static final String PROPERTY = "reactor.netty.http.server.lastFlushWhenNoRead";

    private KeepAliveReads() {
    }

    /**
     * Sets the property unless it is set already. Reactor Netty reads it once, when its HTTP server handler class
     * loads: call this before any server handles a connection.
     */
    static void install() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }
}
