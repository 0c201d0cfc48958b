import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Parks N blocking queries on one key (spread over the given servers), waits until the servers report them
 * parked, writes the key once and measures how long until each watcher has the first bytes of its answer.
 * The watchers are plain sockets on one selector thread, so the generator costs next to nothing beside the
 * servers. Bounded: it gives up after --max-seconds, and closes every socket it opened.
 * Run: java bench/WatchLoad.java --urls http://127.0.0.1:8501,... --watchers 10000 [--query stale] [--first-read true]
 * With --first-read true each watcher first reads the key without an index on its connection and parks only then,
 * as Consul's clients do (a blocking query needs an index, which a first read gives); without it the watchers park
 * at once, so a fresh server's first answers are the wake's.
 * Reports when each server's watchers were answered (first, median, last). With --pids p1,p2,p3 (the servers'
 * PIDs) it also reports their heap after a full GC, before and while parked, and their CPU by thread (JIT compilers
 * included) from the write to the last answer, beside its own; with --histograms DIR also their heap histograms
 * before and while parked, to see what a parked watcher holds.
 */
public final class WatchLoad {
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].substring(2), args[i + 1]);
        }
        List<URI> urls = Arrays.stream(o.getOrDefault("urls", "http://127.0.0.1:8500").split(","))
                .map(URI::create).toList();
        for (URI url : urls) {
            if (!url.getHost().startsWith("127.") && !url.getHost().equals("localhost")) {
                throw new IllegalArgumentException("loopback only: " + url);
            }
        }
        int watchers = Integer.parseInt(o.getOrDefault("watchers", "10000"));
        long maxSeconds = Long.parseLong(o.getOrDefault("max-seconds", "240"));
        String extraQuery = o.getOrDefault("query", "stale");
        boolean firstRead = Boolean.parseBoolean(o.getOrDefault("first-read", "false"));
        String key = "bench/watched";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        send(http, HttpRequest.newBuilder(urls.get(0).resolve("/v1/kv/" + key))
                .PUT(HttpRequest.BodyPublishers.ofString("v0")).build());
        HttpResponse<String> first = send(http, HttpRequest.newBuilder(
                urls.get(0).resolve("/v1/kv/" + key + "?consistent")).build());
        long index = Long.parseLong(first.headers().firstValue("X-Consul-Index").orElseThrow());

        List<String> pids = o.containsKey("pids") ? Arrays.asList(o.get("pids").split(",")) : List.of();
        long heapBefore = heapUsedKiB(pids);
        String histograms = o.get("histograms");
        saveHistograms(pids, histograms, "before");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);

        Selector selector = Selector.open();
        SocketChannel[] channels = new SocketChannel[watchers];
        long[] answeredAt = new long[watchers];
        int[] status = new int[watchers];
        try {
            for (int i = 0; i < watchers && System.nanoTime() < deadline; i++) {
                URI url = urls.get(i % urls.size());
                String query = (extraQuery.isEmpty() ? "" : extraQuery + "&") + "index=" + index + "&wait=5m";
                byte[] request = ("GET /v1/kv/" + key + "?" + query + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(url.getHost(), url.getPort()));
                if (firstRead) {
                    readAnswer(channel, ("GET /v1/kv/" + key + (extraQuery.isEmpty() ? "" : "?" + extraQuery)
                            + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                channel.write(ByteBuffer.wrap(request));
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, i);
                channels[i] = channel;
            }
            int early = poll(selector, answeredAt, status, 0);
            long parked = 0;
            while (System.nanoTime() < deadline && (parked = parked(http, urls)) < watchers) {
                early += poll(selector, answeredAt, status, 200);
            }
            long heapParked = heapUsedKiB(pids);
            saveHistograms(pids, histograms, "parked");
            early += poll(selector, answeredAt, status, 0);
            System.out.printf("parked=%d (of %d requested), answered before the write=%d%n", parked, watchers, early);
            if (!pids.isEmpty()) {
                System.out.printf("heap used after GC, all servers: before=%d MiB parked=%d MiB (%.1f KiB per watcher)%n",
                        heapBefore / 1024, heapParked / 1024,
                        (heapParked - heapBefore) / (double) Math.max(1, parked));
            }

            Arrays.fill(answeredAt, 0);
            Map<String, Long> cpuBefore = threadCpuTicks(pids);
            Duration ownCpuBefore = ownCpu();
            long t0 = System.nanoTime();
            send(http, HttpRequest.newBuilder(urls.get(0).resolve("/v1/kv/" + key))
                    .PUT(HttpRequest.BodyPublishers.ofString("v1")).build());
            int answered = 0;
            while (answered < watchers - early && System.nanoTime() < deadline) {
                answered += poll(selector, answeredAt, status, 100);
            }
            Map<String, Long> cpuAfter = threadCpuTicks(pids);
            Duration ownCpu = ownCpu().minus(ownCpuBefore);
            long[] latencies = Arrays.stream(answeredAt).filter(t -> t != 0).map(t -> t - t0).sorted().toArray();
            long ok = Arrays.stream(status).filter(s -> s == 200).count();
            System.out.printf("watchers=%d answered=%d (200: %d) after the write: p50=%.3fs p99=%.3fs max=%.3fs%n",
                    watchers, latencies.length, ok, at(latencies, 0.50), at(latencies, 0.99),
                    at(latencies, 1.0));
            for (int server = 0; server < urls.size(); server++) {
                int through = server;
                long[] own = IntStream.range(0, watchers).filter(i -> i % urls.size() == through)
                        .filter(i -> answeredAt[i] != 0).mapToLong(i -> answeredAt[i] - t0).sorted().toArray();
                System.out.printf("  through %s: first %.3fs, p50 %.3fs, last %.3fs%n", urls.get(server),
                        at(own, 0), at(own, 0.5), at(own, 1.0));
            }
            if (!pids.isEmpty()) {
                printCpu(cpuBefore, cpuAfter);
                System.out.printf("this generator's CPU over the same time: %.2f s%n", ownCpu.toMillis() / 1e3);
            }
        } finally {
            for (SocketChannel channel : channels) {
                if (channel != null) {
                    channel.close();
                }
            }
            selector.close();
        }
    }

    private static final Pattern LENGTH = Pattern.compile("(?i)\r\nContent-Length: *(\\d+)\r\n");

    /** Sends a request on a blocking channel and reads its whole answer, which must carry a Content-Length. */
    private static void readAnswer(SocketChannel channel, byte[] request) throws IOException {
        channel.write(ByteBuffer.wrap(request));
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (true) {
            if (channel.read(buffer) < 0 || !buffer.hasRemaining()) {
                throw new IOException("the first read's answer did not arrive whole");
            }
            String seen = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
            int end = seen.indexOf("\r\n\r\n");
            Matcher length = LENGTH.matcher(seen);
            if (end >= 0 && length.find() && length.start() < end
                    && buffer.position() >= end + 4 + Integer.parseInt(length.group(1))) {
                return;
            }
        }
    }

    /** Reads what arrived; returns how many watchers got the first bytes of an answer in this call. */
    private static int poll(Selector selector, long[] answeredAt, int[] status, long waitMillis) throws IOException {
        int n = 0;
        if (waitMillis == 0 ? selector.selectNow() == 0 : selector.select(waitMillis) == 0) {
            return 0;
        }
        long now = System.nanoTime();
        ByteBuffer buffer = ByteBuffer.allocate(64);
        for (SelectionKey key : selector.selectedKeys()) {
            int i = (Integer) key.attachment();
            buffer.clear();
            int read = ((SocketChannel) key.channel()).read(buffer);
            // The status line is all this needs; the rest of the answer is dropped with the connection.
            key.cancel();
            if (answeredAt[i] == 0) {
                answeredAt[i] = now;
                status[i] = read >= 12 ? Integer.parseInt(new String(buffer.array(), 9, 3, StandardCharsets.US_ASCII)) : -1;
                n++;
            }
        }
        selector.selectedKeys().clear();
        return n;
    }

    private static double at(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1))] / 1e9;
    }

    private static final Pattern VALUE = Pattern.compile("\"value\":([0-9.E]+)");

    /** Sum of the beacon.watches.parked gauge over the servers. */
    private static long parked(HttpClient http, List<URI> urls) throws Exception {
        long total = 0;
        for (URI url : urls) {
            String body = send(http, HttpRequest.newBuilder(
                    url.resolve("/actuator/metrics/beacon.watches.parked")).build()).body();
            Matcher m = VALUE.matcher(body);
            if (m.find()) {
                total += (long) Double.parseDouble(m.group(1));
            }
        }
        return total;
    }

    /**
     * CPU time of the servers' threads so far, in clock ticks, summed by thread name with its digits dropped (so
     * that a pool's threads count as one), from /proc: shows where a wake's CPU goes, JIT compilers included.
     */
    private static Map<String, Long> threadCpuTicks(List<String> pids) throws IOException {
        Map<String, Long> ticks = new TreeMap<>();
        for (String pid : pids) {
            Path tasks = Path.of("/proc", pid, "task");
            try (var threads = Files.list(tasks)) {
                for (Path thread : threads.toList()) {
                    String stat;
                    try {
                        stat = Files.readString(thread.resolve("stat"));
                    } catch (IOException gone) {
                        continue;
                    }
                    int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "#");
                    String[] fields = stat.substring(close + 2).split(" ");
                    // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the name.
                    ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                }
            }
        }
        return ticks;
    }

    private static Duration ownCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static void printCpu(Map<String, Long> before, Map<String, Long> after) {
        long total = 0;
        StringBuilder line = new StringBuilder();
        List<Map.Entry<String, Long>> deltas = after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
        for (Map.Entry<String, Long> e : deltas) {
            total += e.getValue();
            line.append(String.format(" %s=%.2f", e.getKey(), e.getValue() / 100.0));
        }
        // Clock ticks are 1/100 s on Linux (getconf CLK_TCK).
        System.out.printf("server CPU from the write to the last answer, all servers: %.2f s;%s%n", total / 100.0, line);
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    /** Heap in use after a full GC, summed over the processes (jcmd from the running JDK). */
    private static long heapUsedKiB(List<String> pids) throws Exception {
        long total = 0;
        for (String pid : pids) {
            jcmd(pid, "GC.run");
            Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
            if (m.find()) {
                total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }

    /** With --histograms DIR, each server's heap histogram (live objects) goes to DIR/PID-WHEN.txt. */
    private static void saveHistograms(List<String> pids, String dir, String when) throws Exception {
        if (dir == null) {
            return;
        }
        Files.createDirectories(Path.of(dir));
        for (String pid : pids) {
            Files.writeString(Path.of(dir, pid + "-" + when + ".txt"), jcmd(pid, "GC.class_histogram"));
        }
    }

    private static String jcmd(String pid, String command) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, pid, command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
