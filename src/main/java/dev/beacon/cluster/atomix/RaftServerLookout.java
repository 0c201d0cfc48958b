package dev.beacon.cluster.atomix;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.partition.RaftPartition;

/**
 * Runs something on a partition's Raft server once Atomix has built it. Atomix offers no callback when it builds the
 * server inside {@code Atomix.start()}, so this looks for it every few milliseconds.
 */
final class RaftServerLookout {
    /**
     * Runs the next look on the JDK's delay thread itself: a look is two field reads, and with a one-thread common
     * pool (2 cores) the default executor would start a thread for each.
     */
    private static final Executor NEXT_LOOK =
            CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS, Runnable::run);

    private RaftServerLookout() {
    }

    /** Runs {@code action} once the partition's server exists and is {@code ready}, unless {@code giveUp} first. */
    static void whenBuilt(RaftPartition partition, Predicate<RaftServer> ready, BooleanSupplier giveUp,
                          Consumer<RaftServer> action) {
        if (giveUp.getAsBoolean()) {
            return;
        }
        RaftServer server = RaftIntrospection.serverOf(partition);
        if (server == null || !ready.test(server)) {
            NEXT_LOOK.execute(() -> whenBuilt(partition, ready, giveUp, action));
            return;
        }
        action.accept(server);
    }
}
