package dev.beacon.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Three Beacon servers in processes of their own on 127.0.0.1-3, and the faults done to them: kill -9, SIGSTOP and
 * SIGCONT, a firewall cut between one server and the others, and the replacement of a dead server by a new one.
 * Only processes this class started are touched.
 */
final class FaultCluster implements AutoCloseable {
    private static final int FIRST_UID = 64_001;
    private static final int WARNINGS_SHOWN = 8;
    private final List<ServerProcess> servers = new ArrayList<>();
    private final Partitions partitions = new Partitions();
    private final ConsulHttp http = new ConsulHttp(Duration.ofSeconds(2));
    private final boolean canPartition;
    private final Path dir;

    FaultCluster(Path dir) throws IOException {
        this.dir = dir;
        canPartition = Partitions.available();
        for (int i = 1; i <= 3; i++) {
            servers.add(newServer(i));
        }
        for (ServerProcess server : servers) {
            server.peers(others(server).stream().map(ServerProcess::raftAddress).toList());
        }
    }

    /** Whether partitions can be made here (root with iptables): servers then run under uids of their own. */
    boolean canPartition() {
        return canPartition;
    }

    List<ServerProcess> servers() {
        return servers;
    }

    List<ServerProcess> others(ServerProcess server) {
        return servers.stream().filter(s -> s != server).toList();
    }

    private ServerProcess newServer(int number) throws IOException {
        return new ServerProcess(number, dir.resolve("s" + number), canPartition ? FIRST_UID + number : null);
    }

    /**
     * Starts a new server on 127.0.0.{@code number} in place of {@code gone} (which must be stopped), configured
     * with the other servers as its peers, as an operator would start a replacement.
     */
    ServerProcess replace(ServerProcess gone, int number) throws IOException, InterruptedException {
        servers.remove(gone);
        ServerProcess newcomer = newServer(number);
        newcomer.peers(servers.stream().map(ServerProcess::raftAddress).toList());
        servers.add(newcomer);
        newcomer.start();
        return newcomer;
    }

    void startAll() throws IOException, InterruptedException {
        ServerProcess.prepareLauncher();
        for (ServerProcess server : servers) {
            server.start();
        }
    }

    /** The server that a majority of the running servers name as leader, if any. */
    Optional<ServerProcess> leader() {
        List<ServerProcess> named = new ArrayList<>();
        for (ServerProcess server : servers) {
            if (server.isRunning()) {
                String body = http.get(server, "/v1/status/leader");
                servers.stream().filter(s -> body != null && body.equals("\"" + s.raftAddress() + "\""))
                        .findFirst().ifPresent(named::add);
            }
        }
        return servers.stream().filter(s -> named.stream().filter(n -> n == s).count() >= 2).findFirst();
    }

    /**
     * Waits until every server runs, agrees on the leader and answers a write and a consistent read; fails after
     * {@code limit}.
     */
    ServerProcess awaitHealthy(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ServerProcess> leader = leader();
            if (leader.isPresent() && servers.stream().allMatch(this::serves)) {
                return leader.get();
            }
            Thread.sleep(200);
        }
        // Where each server's threads stand goes into its log: a wait that never ends shows there.
        for (ServerProcess server : servers) {
            server.dumpThreads();
        }
        throw new AssertionError("the cluster was not healthy within " + limit + "; logs (with thread dumps) in "
                + servers.get(0).log().getParent().getParent() + "\n" + describe());
    }

    /**
     * Each server's state and the last warnings of its log: a failure in CI then says why without its log files.
     */
    private String describe() {
        StringBuilder out = new StringBuilder();
        for (ServerProcess server : servers) {
            out.append("server ").append(server.number()).append(" (").append(server.raftAddress()).append("): ")
                    .append(server.state()).append(", leader ").append(http.get(server, "/v1/status/leader"))
                    .append('\n');
            server.lastWarnings(WARNINGS_SHOWN).forEach(line -> out.append("  ").append(line).append('\n'));
        }
        return out.toString();
    }

    /** Whether the server takes a write and answers a consistent read. */
    boolean serves(ServerProcess server) {
        return server.isRunning() && http.put(server, "fault/health", "ok", null) == Op.Outcome.OK
                && http.read(server, "fault/health", Op.ReadMode.CONSISTENT).ok();
    }

    /**
     * Seconds from {@code since} ({@link System#nanoTime()}) until a write through one of {@code through}
     * succeeds: each is tried in turn, each try with a short timeout. Fails after {@code limit}.
     */
    double secondsToFirstWrite(List<ServerProcess> through, long since, Duration limit) throws InterruptedException {
        ConsulHttp probe = new ConsulHttp(Duration.ofMillis(1000));
        long deadline = since + limit.toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            ServerProcess server = through.get(attempt % through.size());
            if (probe.put(server, "fault/probe", Integer.toString(attempt), null) == Op.Outcome.OK) {
                return (System.nanoTime() - since) / 1e9;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no write succeeded through " + through.stream().map(ServerProcess::number).toList()
                + " within " + limit);
    }

    /** Seconds from the server's JVM start until it serves a write and a consistent read. */
    double secondsToServing(ServerProcess server, Duration limit) throws InterruptedException {
        long deadline = server.startedAt() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (serves(server)) {
                return (System.nanoTime() - server.startedAt()) / 1e9;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server " + server.number() + " did not serve within " + limit + "\n" + describe());
    }

    void isolate(ServerProcess server) throws IOException, InterruptedException {
        partitions.isolate(server, others(server));
    }

    void heal() throws IOException, InterruptedException {
        partitions.heal();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            partitions.close();
        } finally {
            for (ServerProcess server : servers) {
                server.stop();
            }
        }
    }
}
