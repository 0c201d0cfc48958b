package dev.beacon.cluster;

/** A Raft voter as the local server sees it. {@code address} is its {@code host:port}. */
public record RaftPeer(String nodeName, String address, boolean leader, boolean voter) {
}
