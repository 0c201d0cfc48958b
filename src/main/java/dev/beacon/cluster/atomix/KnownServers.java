package dev.beacon.cluster.atomix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft servers this server last knew of ({@code host:port}, a line each), kept beside its data so that a
 * restart contacts them all at once. A server that joined the cluster after this one was configured is in the
 * Raft configuration on disk but not in this server's retry-join list, and Atomix's cluster membership only knows
 * the servers it was started with or has heard of since: Raft messages to the newcomer would be refused until
 * gossip brought it.
 */
final class KnownServers {
    private static final Logger log = LoggerFactory.getLogger(KnownServers.class);
    private final Path file;

    KnownServers(Path dataDir) {
        this.file = dataDir.resolve("raft-servers");
    }

    List<String> load() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            log.warn("Could not read the servers last known from {}: {}", file, e.toString());
            return List.of();
        }
    }

    /** Replaces the list in one step: a crash leaves the old list or the new one. */
    void save(Collection<String> servers) {
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.write(next, servers, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("Could not save the known servers to {}: {}", file, e.toString());
        }
    }
}
