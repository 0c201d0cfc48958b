package dev.beacon.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code etcdctl} in its v2 mode ({@code ETCDCTL_API=2}), unmodified, against three Beacon servers: the
 * commands the etcd tutorials use, the cluster commands, and watches that wait for a write.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdctlIT {
    private TestCluster cluster;
    private int etcdPort;
    private Path work;

    record Run(int exit, String out) {
    }

    @BeforeAll
    void start(@TempDir Path dir) {
        work = dir;
        cluster = new TestCluster(dir.resolve("cluster"));
        etcdPort = TestCluster.freePort();
        for (BeaconNode node : cluster.nodes()) {
            node.with("beacon.ports.etcd", Integer.toString(etcdPort))
                    .with("beacon.client-address", "127.0.0." + node.name().substring("node".length()));
        }
        cluster.startAll();
        cluster.awaitLeader();
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void theTutorialCommandsWork() throws Exception {
        assertThat(etcdctl("set", "/tut/a", "hello")).isEqualTo(new Run(0, "hello\n"));
        assertThat(etcdctl("get", "/tut/a")).isEqualTo(new Run(0, "hello\n"));
        assertThat(etcdctl("mk", "/tut/b", "one")).isEqualTo(new Run(0, "one\n"));
        Run again = etcdctl("mk", "/tut/b", "two");
        assertThat(again.exit()).isNotZero();
        assertThat(again.out()).contains("105: Key already exists (/tut/b)");
        assertThat(etcdctl("mkdir", "/tut/dir").exit()).isZero();
        assertThat(etcdctl("ls", "/tut")).isEqualTo(new Run(0, "/tut/a\n/tut/b\n/tut/dir\n"));
        assertThat(etcdctl("update", "/tut/a", "world")).isEqualTo(new Run(0, "world\n"));
        assertThat(etcdctl("update", "/tut/missing", "x").out()).contains("100: Key not found (/tut/missing)");
        assertThat(etcdctl("rm", "/tut/a").out()).contains("PrevNode.Value: world");
        assertThat(etcdctl("rmdir", "/tut/dir").exit()).isZero();
        assertThat(etcdctl("set", "/tut/deep/er", "x").exit()).isZero();
        assertThat(etcdctl("ls", "--recursive", "/tut")).isEqualTo(new Run(0, "/tut/b\n/tut/deep\n/tut/deep/er\n"));
        assertThat(etcdctl("rm", "--recursive", "/tut").exit()).isZero();
        assertThat(etcdctl("get", "/tut/b").out()).contains("100: Key not found");
    }

    @Test
    void memberListAndClusterHealthSeeTheThreeServers() throws Exception {
        Run members = etcdctl("member", "list");
        assertThat(members.exit()).isZero();
        assertThat(members.out().lines().toList()).hasSize(3).allSatisfy(line -> assertThat(line)
                .matches("[0-9a-f]{16}: name=node[123] peerURLs=http://127\\.0\\.0\\.[123]:\\d+ clientURLs="
                        + "http://127\\.0\\.0\\.[123]:" + etcdPort + " isLeader=(true|false)"));
        assertThat(members.out()).containsOnlyOnce("isLeader=true");
        Run health = etcdctl("cluster-health");
        assertThat(health.exit()).isZero();
        assertThat(health.out()).contains("cluster is healthy");
    }

    @Test
    void watchWaitsForTheNextChangeAndExecWatchRunsACommandForEach() throws Exception {
        Process watch = start(List.of("watch", "/watched/key"), work.resolve("watch.out"));
        Path marks = work.resolve("exec-watch.out");
        // As etcd's documentation writes it: with a flag before the key, etcdctl keeps the "--" that ends it.
        Process execWatch = start(List.of("exec-watch", "--recursive", "/watched/exec", "--", "sh", "-c",
                "echo \"$ETCD_WATCH_ACTION $ETCD_WATCH_VALUE\" >> " + marks), work.resolve("exec.out"));
        try {
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> watchers() >= 2);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("etcdctl watch: " + Files.readString(work.resolve("watch.out"))
                        + "\netcdctl exec-watch: " + Files.readString(work.resolve("exec.out")), e);
            }
            assertThat(etcdctl("set", "/watched/key", "changed").exit()).isZero();
            assertThat(watch.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(work.resolve("watch.out"))).isEqualTo("changed\n");

            assertThat(etcdctl("set", "/watched/exec", "first").exit()).isZero();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marks)
                        && Files.readString(marks).contains("set first"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("etcdctl exec-watch: " + Files.readString(work.resolve("exec.out")), e);
            }
            assertThat(etcdctl("set", "/watched/exec", "second").exit()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(marks).contains("set second"));
        } finally {
            watch.destroyForcibly();
            execWatch.destroyForcibly();
        }
    }

    private long watchers() throws IOException {
        long total = 0;
        for (BeaconNode node : cluster.nodes()) {
            total += node.context().getBean(EtcdStoreCounters.class).snapshot().watchers();
        }
        return total;
    }

    private List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints",
                "http://127.0.0.1:" + etcdPort + ",http://127.0.0.2:" + etcdPort));
        command.addAll(args);
        return command;
    }

    private Process start(List<String> args, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(args)).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("ETCDCTL_API", "2");
        return builder.start();
    }

    private Run etcdctl(String... args) throws Exception {
        Path output = Files.createTempFile(work, "etcdctl", ".out");
        Process process = start(List.of(args), output);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("etcdctl " + String.join(" ", args) + " did not finish");
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
