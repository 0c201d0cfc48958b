package dev.beacon.cluster.atomix;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the Raft servers that Atomix's own stop leaves running. Atomix shuts a partition's server down only once it
 * has joined its group; one still waiting for its peers (started without a quorum, or its peers gone first) keeps
 * polling them from its own thread, with its log open, for as long as the JVM lives. A server process exits anyway;
 * an application that embeds Beacon, and the test suite that runs many servers in one JVM, would keep it forever.
 */
final class StrandedRaftServers {
    private static final Logger log = LoggerFactory.getLogger(StrandedRaftServers.class);

    private StrandedRaftServers() {
    }

    static void stop(List<RaftPartition> partitions, Duration timeout) {
        for (RaftPartition partition : partitions) {
            RaftServer server = RaftIntrospection.serverOf(partition);
            if (server != null && deactivate(RaftIntrospection.contextOf(server), timeout)) {
                log.info("Stopped Raft server {}, which had not joined its group", partition.id());
            }
        }
    }

    /** Whether the server was still active and is now stopped, its log closed. */
    private static boolean deactivate(RaftContext context, Duration timeout) {
        if (context.getRole() == RaftServer.Role.INACTIVE) {
            return false;
        }
        CompletableFuture<Void> deactivated = new CompletableFuture<>();
        try {
            // The role changes on the server's own thread, as all its state does.
            context.getThreadContext().execute(() -> {
                context.transition(RaftServer.Role.INACTIVE);
                deactivated.complete(null);
            });
            deactivated.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            context.close();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Raft server {} did not stop: {}", context.getName(), e.toString());
        }
        return false;
    }
}
