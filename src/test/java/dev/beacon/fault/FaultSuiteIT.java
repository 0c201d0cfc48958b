package dev.beacon.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite: three servers in processes of their own under a running workload, hit by each fault in turn
 * (kill -9 of the leader, of a follower, of all three; SIGSTOP of the leader; the leader cut off by the firewall),
 * once in {@code mvn verify}, ten times with {@code -Pfault} (which also kills the leader every 10 s for 10
 * minutes). It records how long writes through the surviving servers took to resume and how long a restarted
 * server took to serve, then checks the history: writes, CASes, consistent and default reads linearizable per
 * register, no acknowledged insert lost, no stale read of a value never written, no two clients holding a
 * lock at once. The report goes to
 * target/fault-report.md.
 */
class FaultSuiteIT {
    private static final Duration WRITES_RESUME = Duration.ofSeconds(60);
    private static final Duration SERVING = Duration.ofSeconds(120);
    private static final long PAUSE_NANOS = Duration.ofSeconds(8).toNanos();
    private static final long PARTITION_NANOS = Duration.ofSeconds(10).toNanos();

    enum Fault { KILL_LEADER, KILL_FOLLOWER, PAUSE_LEADER, PARTITION_LEADER, KILL_ALL }

    /**
     * One fault's figures: seconds until writes resumed, and until a restarted server served (NaN: none); for a
     * pause or a partition, the server kept away and when (System.nanoTime), else null.
     */
    record Measured(Fault fault, double writesResumed, double restartServing, Away away) {
        Measured(Fault fault, double writesResumed, double restartServing) {
            this(fault, writesResumed, restartServing, null);
        }
    }

    /** A server paused or cut off from the others, from {@code from} until the fault was undone. */
    record Away(ServerProcess server, long from, long until) {
        boolean sentThrough(Op op, Workload workload) {
            return workload.serverOf(op.client()) == server && op.invoked() < until && op.completed() > from;
        }
    }

    /** The cluster of the running test. */
    private FaultCluster cluster;

    @Test
    void theClusterStaysSafeAndComesBackThroughOneFaultOfEachKind() throws Exception {
        underWorkload(measured -> rounds(measured, 1));
    }

    /** The long run: {@code mvn -B verify -Pfault}. */
    @Test
    @Tag("fault")
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void theClusterStaysSafeAndComesBackThroughTenFaultsOfEachKind() throws Exception {
        underWorkload(measured -> rounds(measured, 10));
    }

    /**
     * The leader killed again and again for ten minutes: every 10 s, or once all three serve again if that takes
     * longer (killing a leader while a server is still down would take the quorum, not test failover).
     */
    @Test
    @Tag("fault")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void theClusterStaysSafeAndWritesResumeWhileTheLeaderIsKilledEvery10sFor10Minutes() throws Exception {
        underWorkload(measured -> {
            long end = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() < end) {
                long next = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                ServerProcess leader = cluster.awaitHealthy(SERVING);
                long t0 = System.nanoTime();
                leader.kill();
                double resumed = cluster.secondsToFirstWrite(cluster.others(leader), t0, WRITES_RESUME);
                leader.start();
                measured.add(new Measured(Fault.KILL_LEADER, resumed, Double.NaN));
                System.out.printf("soak kill %d: writes resumed after %.2f s%n", measured.size(), resumed);
                sleepUntil(next);
            }
        });
    }

    /** What a run does to the cluster while the workload runs; it records each fault's figures. */
    private interface FaultPlan {
        void run(List<Measured> measured) throws IOException, InterruptedException;
    }

    private void rounds(List<Measured> measured, int rounds) throws IOException, InterruptedException {
        for (int round = 1; round <= rounds; round++) {
            for (Fault fault : Fault.values()) {
                if (fault == Fault.PARTITION_LEADER && !cluster.canPartition()) {
                    continue;
                }
                Instant at = Instant.now();
                Measured m = inject(cluster, fault);
                measured.add(m);
                System.out.printf("fault round %d at %s: %s, writes resumed after %.2f s, restart served"
                        + " after %.2f s%n", round, at, m.fault(), m.writesResumed(), m.restartServing());
                cluster.awaitHealthy(SERVING);
                Thread.sleep(2_000);
            }
        }
    }

    /**
     * Starts the cluster and the workload, runs the plan, then checks the history and writes the report: writes,
     * CASes and consistent reads linearizable, default reads too, no stale read of a value never written, no
     * acknowledged insert missing on any server, no overlapping lock holds.
     */
    private void underWorkload(FaultPlan plan) throws Exception {
        Path dir = Path.of("target", "fault", Instant.now().toString().replace(':', '-')).toAbsolutePath();
        List<Measured> measured = new ArrayList<>();
        try (FaultCluster started = new FaultCluster(dir)) {
            cluster = started;
            cluster.startAll();
            cluster.awaitHealthy(SERVING);
            Workload workload = new Workload(cluster.servers(), 6);
            LockClients locks = new LockClients(cluster.servers());
            workload.start();
            locks.start();
            try {
                plan.run(measured);
            } finally {
                workload.stop();
                locks.stop();
            }
            cluster.heal();
            cluster.awaitHealthy(SERVING);

            Map<String, String> report = new LinkedHashMap<>();
            List<Op> history = workload.history();
            // Saved first: a check that fails or runs out of memory still leaves the history to look at.
            HistoryFile.write(dir.resolve("history.tsv"), history);
            var consistent = HistoryChecks.linearizability(history, EnumSet.of(Op.ReadMode.CONSISTENT));
            var withDefault = HistoryChecks.linearizability(history,
                    EnumSet.of(Op.ReadMode.CONSISTENT, Op.ReadMode.DEFAULT));
            List<Op> stalePhantoms = HistoryChecks.phantomReads(history, Op.ReadMode.STALE);
            report.put("operations", Integer.toString(history.size()));
            long unknown = history.stream().filter(op -> op.outcome() == Op.Outcome.UNKNOWN).count();
            report.put("writes of unknown outcome", Long.toString(unknown));
            // A write sent to a paused or cut-off server waits until it is back (or the client gives up): that
            // is not the failover the surviving servers owe, so it is reported apart.
            List<Away> aways = measured.stream().map(Measured::away).filter(Objects::nonNull).toList();
            Predicate<Op> throughAway = op -> aways.stream().anyMatch(away -> away.sentThrough(op, workload));
            report.put("slowest acknowledged write through a server that was not paused or cut off, s",
                    slowestWrite(history, throughAway.negate()));
            report.put("slowest acknowledged write sent to a paused or cut-off server while it was away, s",
                    slowestWrite(history, throughAway));
            report.put("linearizable (writes, CAS, consistent reads)", HistoryChecks.summary(consistent));
            report.put("linearizable with default reads too", HistoryChecks.summary(withDefault));
            report.put("stale reads of values never written", Integer.toString(stalePhantoms.size()));
            List<LockClients.Hold> holds = locks.holds();
            List<String> overlaps = HistoryChecks.overlappingHolds(holds);
            report.put("lock holds, overlapping", holds.size() + ", " + overlaps.size());

            Set<String> acknowledged = workload.acknowledged();
            for (ServerProcess server : cluster.servers()) {
                Set<String> present = setKeys(server);
                Set<String> lost = new TreeSet<>(acknowledged);
                lost.removeAll(present);
                Set<String> invented = new TreeSet<>(present);
                invented.removeAll(workload.attempted());
                report.put("set through server " + server.number(), acknowledged.size() + " acknowledged, "
                        + present.size() + " present, " + lost.size() + " lost, " + invented.size() + " never sent");
                assertThat(lost).as("acknowledged inserts missing through server %d", server.number()).isEmpty();
                assertThat(invented).as("keys nobody inserted, through server %d", server.number()).isEmpty();
            }
            writeReport(dir, measured, report);

            assertThat(history).as("operations recorded").hasSizeGreaterThan(100);
            assertThat(consistent.values()).allSatisfy(result -> assertThat(result.verdict())
                    .as(explain(history, result)).isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE));
            assertThat(withDefault.values()).as("default reads hold the leader's lease").allSatisfy(result ->
                    assertThat(result.verdict()).as(explain(history, result))
                            .isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE));
            assertThat(stalePhantoms).isEmpty();
            assertThat(holds).as("lock holds").hasSizeGreaterThan(10);
            assertThat(overlaps).as("lock holds of two clients at once").isEmpty();
        }
    }

    private static Measured inject(FaultCluster cluster, Fault fault) throws IOException, InterruptedException {
        ServerProcess leader = cluster.awaitHealthy(SERVING);
        List<ServerProcess> others = cluster.others(leader);
        long t0 = System.nanoTime();
        switch (fault) {
            case KILL_LEADER -> {
                leader.kill();
                double resumed = cluster.secondsToFirstWrite(others, t0, WRITES_RESUME);
                leader.start();
                return new Measured(fault, resumed, cluster.secondsToServing(leader, SERVING));
            }
            case KILL_FOLLOWER -> {
                ServerProcess follower = others.get(ThreadLocalRandom.current().nextInt(others.size()));
                follower.kill();
                double resumed = cluster.secondsToFirstWrite(cluster.others(follower), t0, WRITES_RESUME);
                follower.start();
                return new Measured(fault, resumed, cluster.secondsToServing(follower, SERVING));
            }
            case PAUSE_LEADER -> {
                leader.pause();
                return whileAway(cluster, fault, leader, t0, PAUSE_NANOS, leader::resume);
            }
            case PARTITION_LEADER -> {
                cluster.isolate(leader);
                return whileAway(cluster, fault, leader, t0, PARTITION_NANOS, cluster::heal);
            }
            case KILL_ALL -> {
                for (ServerProcess server : cluster.servers()) {
                    server.kill();
                }
                for (ServerProcess server : cluster.servers()) {
                    server.start();
                }
                double resumed = cluster.secondsToFirstWrite(cluster.servers(), t0, SERVING);
                return new Measured(fault, resumed, resumed);
            }
            default -> throw new IllegalArgumentException(fault.name());
        }
    }

    /** What undoes a fault. */
    private interface Undo {
        void run() throws IOException, InterruptedException;
    }

    /**
     * Measures writes through the other servers from the fault at {@code t0}, keeps {@code away} away for
     * {@code awayNanos} in all, then undoes the fault.
     */
    private static Measured whileAway(FaultCluster cluster, Fault fault, ServerProcess away, long t0,
                                      long awayNanos, Undo undo) throws IOException, InterruptedException {
        double resumed;
        try {
            resumed = cluster.secondsToFirstWrite(cluster.others(away), t0, WRITES_RESUME);
            sleepUntil(t0 + awayNanos);
        } finally {
            undo.run();
        }
        return new Measured(fault, resumed, Double.NaN, new Away(away, t0, System.nanoTime()));
    }

    /** A verdict's detail, with the operations around the one no order could fit: CI shows only the message. */
    private static String explain(List<Op> history, LinearizabilityChecker.Result result) {
        return result.detail() + HistoryChecks.around(history, result.stuckAt(), Duration.ofSeconds(1).toNanos());
    }

    private static String slowestWrite(List<Op> history, Predicate<Op> which) {
        return String.format("%.2f", history.stream()
                .filter(op -> op.kind() != Op.Kind.READ && op.outcome() == Op.Outcome.OK && which.test(op))
                .mapToLong(op -> op.completed() - op.invoked()).max().orElse(0) / 1e9);
    }

    private static Set<String> setKeys(ServerProcess server) {
        String body = new ConsulHttp(Duration.ofSeconds(10)).get(server, "/v1/kv/" + Workload.SET + "?keys&consistent");
        assertThat(body).as("keys of the set through server %d", server.number()).isNotNull();
        Set<String> keys = new TreeSet<>();
        for (String part : body.replaceAll("[\\[\\]\\s]", "").split(",")) {
            if (!part.isEmpty()) {
                keys.add(part.replace("\"", ""));
            }
        }
        return keys;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
    }

    private static void writeReport(Path dir, List<Measured> measured, Map<String, String> checks) throws IOException {
        StringBuilder out = new StringBuilder("# Fault suite, ").append(Instant.now()).append("\n\n")
                .append("| fault | count | writes resumed after, s (min / median / max) | restarted server serving after, s |\n")
                .append("|---|---|---|---|\n");
        for (Fault fault : Fault.values()) {
            List<Measured> of = measured.stream().filter(m -> m.fault() == fault).toList();
            if (!of.isEmpty()) {
                out.append("| ").append(fault).append(" | ").append(of.size()).append(" | ")
                        .append(spread(of.stream().map(Measured::writesResumed).toList())).append(" | ")
                        .append(spread(of.stream().map(Measured::restartServing).filter(d -> !d.isNaN()).toList()))
                        .append(" |\n");
            }
        }
        out.append('\n');
        checks.forEach((what, result) -> out.append("- ").append(what).append(": ").append(result).append('\n'));
        out.append("\nServer logs: ").append(dir).append('\n');
        Files.writeString(Path.of("target", "fault-report.md"), out);
        System.out.println(out);
    }

    private static String spread(List<Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Double> sorted = values.stream().sorted().toList();
        return String.format("%.2f / %.2f / %.2f", sorted.get(0), sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1));
    }
}
