package dev.beacon.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one server needs to join its Raft cluster. A server's Raft identity is its {@code host:port} as the
 * others name it in their retry-join lists, so every server derives the same member list from configuration.
 *
 * @param members every voter's {@code host:port}, this node's included, in a stable order
 */
public record ClusterSettings(String nodeName, String datacenter, String localMember, List<String> members,
                              Path dataDir, long segmentSize, int maxEntrySize, RaftTimeouts timeouts) {

    public ClusterSettings {
        members = List.copyOf(members);
        if (!members.contains(localMember)) {
            throw new IllegalArgumentException("members must include the local member " + localMember);
        }
    }

    /**
     * Builds settings from Consul-style options. {@code retryJoin} entries are {@code host} or {@code host:port}
     * (default port: {@code raftPort}); an entry naming this node is ignored, so one list can serve every server.
     * A positive {@code bootstrapExpect} must match the resulting number of servers; 0 means "whatever it is".
     */
    public static ClusterSettings of(String nodeName, String datacenter, String bindAddress, int raftPort,
                                     int bootstrapExpect, List<String> retryJoin, Path dataDir, long segmentSize,
                                     int maxEntrySize, RaftTimeouts timeouts) {
        String local = bindAddress + ":" + raftPort;
        Set<String> members = new LinkedHashSet<>();
        members.add(local);
        for (String entry : retryJoin) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                members.add(trimmed.contains(":") ? trimmed : trimmed + ":" + raftPort);
            }
        }
        if (bootstrapExpect > 0 && bootstrapExpect != members.size()) {
            throw new IllegalArgumentException("bootstrap-expect is " + bootstrapExpect + " but retry-join names "
                    + (members.size() - 1) + " other server(s): list every other server in retry-join");
        }
        List<String> sorted = new ArrayList<>(members);
        sorted.sort(null);
        return new ClusterSettings(nodeName, datacenter, local, sorted, dataDir, segmentSize, maxEntrySize, timeouts);
    }
}
