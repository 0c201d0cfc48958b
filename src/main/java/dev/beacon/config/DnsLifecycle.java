package dev.beacon.config;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.beacon.dns.DnsServer;
import org.springframework.context.SmartLifecycle;

/** Opens the DNS sockets with the context and closes them when it stops (before the cluster leaves). */
class DnsLifecycle implements SmartLifecycle {
    private final DnsServer server;
    private volatile boolean running;

    DnsLifecycle(DnsServer server) {
        this.server = server;
    }

    @Override
    public void start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the DNS port: " + e.getMessage(), e);
        }
        running = true;
    }

    @Override
    public void stop() {
        server.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
