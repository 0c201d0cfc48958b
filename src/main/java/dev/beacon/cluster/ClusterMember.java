package dev.beacon.cluster;

/** A node known to cluster membership (gossip), whether or not it is reachable right now. */
public record ClusterMember(String nodeName, String host, int port, String datacenter, boolean alive,
                            boolean server) {
}
