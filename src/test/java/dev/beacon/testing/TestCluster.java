package dev.beacon.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Three servers on 127.0.0.1, 127.0.0.2 and 127.0.0.3, sharing one Raft port number, each with its own data
 * directory under {@code root}.
 */
public final class TestCluster implements AutoCloseable {
    public static final Duration FORMATION = Duration.ofSeconds(90);
    private final List<BeaconNode> nodes = new ArrayList<>();

    public TestCluster(Path root) {
        this(root, "node", List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"));
    }

    /** Servers named {@code prefix1}, {@code prefix2}, ... on {@code addresses}, sharing one Raft port number. */
    private TestCluster(Path root, String prefix, List<String> addresses) {
        int raftPort = freePort();
        for (int i = 0; i < addresses.size(); i++) {
            String self = addresses.get(i);
            List<String> others = addresses.stream().filter(a -> !a.equals(self))
                    .map(a -> a + ":" + raftPort).toList();
            nodes.add(new BeaconNode(prefix + (i + 1), self, raftPort, others, root.resolve(prefix + (i + 1))));
        }
    }

    /**
     * The servers of datacenter {@code datacenter} on {@code addresses}, named {@code prefix1}, {@code prefix2}, ...,
     * sharing one Raft and one WAN port number as a real datacenter's servers do, so each finds the others' WAN
     * ports from their Raft addresses.
     */
    public static TestCluster datacenter(Path root, String datacenter, String prefix, List<String> addresses) {
        TestCluster cluster = new TestCluster(root.resolve(datacenter), prefix, addresses);
        String wanPort = Integer.toString(freePort());
        cluster.nodes.forEach(node -> node.with("beacon.datacenter", datacenter)
                .with("beacon.ports.serf-wan", wanPort));
        return cluster;
    }

    /** The WAN port every server of this cluster listens on (set by {@link #datacenter}). */
    public int wanPort() {
        return Integer.parseInt(nodes.get(0).property("beacon.ports.serf-wan"));
    }

    public List<BeaconNode> nodes() {
        return nodes;
    }

    public BeaconNode node(int i) {
        return nodes.get(i);
    }

    /**
     * Starts every node. One after the other is enough: a node's context is up at once and joins the cluster in
     * the background (and starting Spring contexts in parallel races inside Logback's initialisation).
     */
    public TestCluster startAll() {
        nodes.forEach(BeaconNode::start);
        return this;
    }

    /**
     * Stops every node, all at once: each stop waits out the quiet period (2 s) of Netty's shutdown of Atomix's
     * messaging threads, which one after the other added up over the suite.
     */
    public void stopAll() {
        ExecutorService stopping = Executors.newFixedThreadPool(nodes.size());
        try {
            CompletableFuture.allOf(nodes.stream().map(node -> CompletableFuture.runAsync(node::stop, stopping))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            stopping.shutdown();
        }
    }

    /** Waits until every running node names the same leader, and returns that node. */
    public BeaconNode awaitLeader() {
        await().atMost(FORMATION).pollInterval(Duration.ofMillis(200)).until(() -> agreedLeader().isPresent());
        String leader = agreedLeader().orElseThrow();
        return running().stream().filter(n -> n.cluster().settings().localMember().equals(leader))
                .findFirst().orElseThrow();
    }

    private Optional<String> agreedLeader() {
        List<BeaconNode> running = running();
        if (running.stream().anyMatch(n -> !n.cluster().isReady())) {
            return Optional.empty();
        }
        Set<String> leaders = running.stream().map(n -> n.cluster().leader().orElse(""))
                .collect(Collectors.toSet());
        if (leaders.size() != 1 || leaders.contains("")) {
            return Optional.empty();
        }
        String leader = leaders.iterator().next();
        boolean leaderIsRunning = running.stream()
                .anyMatch(n -> n.cluster().settings().localMember().equals(leader) && n.cluster().isLeader());
        return leaderIsRunning ? Optional.of(leader) : Optional.empty();
    }

    public List<BeaconNode> running() {
        return nodes.stream().filter(BeaconNode::isRunning).toList();
    }

    public List<BeaconNode> followers(BeaconNode leader) {
        return running().stream().filter(n -> n != leader).toList();
    }

    @Override
    public void close() {
        stopAll();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
