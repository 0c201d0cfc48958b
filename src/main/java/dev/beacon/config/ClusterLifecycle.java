package dev.beacon.config;

import dev.beacon.cluster.atomix.AtomixCluster;
import org.springframework.context.SmartLifecycle;

/**
 * Starts joining the cluster once the context is up and leaves it last on shutdown, after the HTTP server has
 * stopped taking requests (a lower phase stops later).
 */
class ClusterLifecycle implements SmartLifecycle {
    private final AtomixCluster cluster;
    private volatile boolean running;

    ClusterLifecycle(AtomixCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void start() {
        OutOfMemoryExit.warnIfOff();
        cluster.start();
        running = true;
    }

    @Override
    public void stop() {
        cluster.stop();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
