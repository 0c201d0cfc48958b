package dev.beacon.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Beacon server in a process of its own, started from the packaged jar by {@code bin/beacon} (as deployments
 * start it), on its own loopback address. When the
 * tests run as root, the server runs under a uid of its own, so that firewall rules can tell its traffic from its
 * peers' (every server's outgoing connections come from 127.0.0.1, whichever address it binds).
 */
final class ServerProcess {
    private static final Path LAUNCHER = Path.of("bin", "beacon").toAbsolutePath();
    /** Debian's libfaketime, for {@link #clockAhead}. */
    static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
    private final int number;
    private final Path dir;
    private final int httpPort;
    private final int raftPort;
    private final Integer uid;
    private List<String> peers = List.of();
    private Process process;
    private long startedAt;
    private Duration clockAhead;

    ServerProcess(int number, Path dir, Integer uid) throws IOException {
        this.number = number;
        this.dir = dir;
        this.uid = uid;
        this.httpPort = freePort(address(number));
        this.raftPort = freePort(address(number));
    }

    static String address(int number) {
        return "127.0.0." + number;
    }

    void peers(List<String> raftAddresses) {
        this.peers = List.copyOf(raftAddresses);
    }

    int number() {
        return number;
    }

    String raftAddress() {
        return address(number) + ":" + raftPort;
    }

    int raftPort() {
        return raftPort;
    }

    Integer uid() {
        return uid;
    }

    String baseUrl() {
        return "http://" + address(number) + ":" + httpPort;
    }

    Path log() {
        return dir.resolve("server.log");
    }

    /** {@link System#nanoTime()} of the last start. */
    long startedAt() {
        return startedAt;
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** "running", "exited with N" or "not started", for failure messages. */
    String state() {
        if (process == null) {
            return "not started";
        }
        return process.isAlive() ? "running" : "exited with " + process.exitValue();
    }

    /** The last {@code count} lines of the server's log that are warnings, errors or exceptions. */
    List<String> lastWarnings(int count) {
        try (Stream<String> lines = Files.lines(log(), StandardCharsets.UTF_8)) {
            List<String> warnings = lines.filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")
                    || line.startsWith("Caused by:") || line.contains("APPLICATION FAILED")).toList();
            return warnings.subList(Math.max(0, warnings.size() - count), warnings.size());
        } catch (IOException | UncheckedIOException e) {
            return List.of("(log not readable: " + e + ")");
        }
    }

    /**
     * Runs this server's wall clock {@code ahead} of the machine's from its next start, through libfaketime (Debian's
     * {@code faketime}); its monotonic clock stays true, as on a machine whose clock was set wrong.
     */
    void clockAhead(Duration ahead) {
        this.clockAhead = ahead;
    }

    void start() throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        List<String> command = new ArrayList<>();
        if (uid != null) {
            run("chown", "-R", uid + ":" + uid, dir.toString());
            command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--"));
        }
        if (clockAhead != null) {
            // Preloaded only after setpriv: libfaketime in the root process would share a semaphore the server's
            // uid cannot open.
            command.addAll(List.of("env", "LD_PRELOAD=" + FAKETIME, "FAKETIME=+" + clockAhead.toSeconds(),
                    "DONT_FAKE_MONOTONIC=1"));
        }
        command.addAll(List.of(LAUNCHER.toString(), "--beacon.node-name=f" + number, "--beacon.bind-address=" + address(number),
                "--beacon.client-address=" + address(number), "--beacon.bootstrap-expect=" + (peers.size() + 1),
                "--beacon.retry-join=" + String.join(",", peers), "--beacon.data-dir=" + data,
                "--beacon.ports.http=" + httpPort, "--beacon.ports.raft=" + raftPort, "--beacon.ports.dns=0",
                "--beacon.ports.etcd=0", "--beacon.ports.serf-wan=0",
                // Small segments: the servers snapshot every few thousand writes, so faults also hit snapshots,
                // restarts restore them, and a returning server may be sent one.
                "--beacon.raft.segment-size=256KB", "--beacon.raft.max-entry-size=64KB",
                "--logging.level.io.atomix.protocols.raft=INFO"));
        ProcessBuilder builder = launcher(command);
        builder.environment().put("JAVA_OPTS", "-Xmx384m -XX:+ExitOnOutOfMemoryError -Duser.home=" + dir);
        startedAt = System.nanoTime();
        process = builder.directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP: the process stays, its sockets stay open, it answers nothing. */
    void pause() throws IOException, InterruptedException {
        run("kill", "-STOP", Long.toString(process.pid()));
    }

    void resume() throws IOException, InterruptedException {
        run("kill", "-CONT", Long.toString(process.pid()));
    }

    /** SIGQUIT: the JVM prints every thread's stack to its output, the server's log, and runs on. */
    void dumpThreads() throws InterruptedException {
        if (isRunning()) {
            try {
                run("kill", "-QUIT", Long.toString(process.pid()));
            } catch (IOException e) {
                // Only for a failure's report, which is worth more than this dump: it goes on without it.
            }
        }
    }

    /** Stops a server this harness started, gently, then by force. */
    void stop() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            resume();
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    static void run(String... command) throws IOException, InterruptedException {
        run(new ProcessBuilder(command), 30);
    }

    private static void run(ProcessBuilder builder, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = builder.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", builder.command()) + " failed: " + output.strip());
        }
    }

    /**
     * Extracts the jar and records its class-data-sharing archive once, before any server starts, as a deployment
     * does when it installs the jar (servers starting at once would otherwise race to make it).
     */
    static void prepareLauncher() throws IOException, InterruptedException {
        run(launcher(List.of(LAUNCHER.toString(), "prepare")), 300);
    }

    /** A server is started as a deployment starts it: bin/beacon, with the packaged jar and this JVM. */
    private static ProcessBuilder launcher(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("BEACON_JAR", packagedJar().toString());
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return builder;
    }

    private static Path packagedJar() {
        Path jar = Path.of(System.getProperty("beacon.jar", "target/beacon.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": the fault suite runs the packaged jar (mvn verify)");
        }
        return jar;
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        }
    }
}
