import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Service-discovery load against Beacon, bounded in count and time. Modes:
 * <ul>
 * <li>{@code register}: N clients register --requests services through the agents ({@code /v1/agent/service/register},
 *     each with a 10m TTL check), spread over --urls; reports registrations/s.</li>
 * <li>{@code health}: N clients read {@code /v1/health/service/<--service>?passing} (register --instances first
 *     with {@code register}); reports reads/s and latency.</li>
 * <li>{@code idle}: watches --seconds of an idle cluster holding many TTL checks: Raft entries applied per second
 *     (the {@code beacon.raft.applied.index} gauge) and the CPU the servers used (--pids, from /proc).</li>
 * </ul>
 * Run: java bench/CatalogLoad.java --mode register --urls http://127.0.0.1:8501 --clients 16 --requests 1000
 */
public final class CatalogLoad {
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].substring(2), args[i + 1]);
        }
        List<String> urls = Arrays.asList(o.getOrDefault("urls", "http://127.0.0.1:8500").split(","));
        String mode = o.getOrDefault("mode", "register");
        int clients = Integer.parseInt(o.getOrDefault("clients", "16"));
        int requests = Integer.parseInt(o.getOrDefault("requests", "1000"));
        long maxNanos = Duration.ofSeconds(Long.parseLong(o.getOrDefault("max-seconds", "120"))).toNanos();
        String service = o.getOrDefault("service", "bench");
        String prefix = o.getOrDefault("id-prefix", "bench");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        if (mode.equals("idle")) {
            idle(http, urls, o.getOrDefault("pids", ""), Long.parseLong(o.getOrDefault("seconds", "30")));
            return;
        }
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < requests && System.nanoTime() - start < maxNanos) {
                        String url = urls.get((mode.equals("register") ? i : client) % urls.size());
                        HttpRequest request = mode.equals("register")
                                ? HttpRequest.newBuilder(URI.create(url + "/v1/agent/service/register"))
                                        .PUT(HttpRequest.BodyPublishers.ofString("{\"ID\":\"" + prefix + "-" + i
                                                + "\",\"Name\":\"" + service + "\",\"Port\":" + (1000 + i % 60000)
                                                + ",\"Tags\":[\"t\"],\"Check\":{\"TTL\":\"10m\",\"Status\":\"passing\"}}"))
                                        .build()
                                : HttpRequest.newBuilder(URI.create(url + "/v1/health/service/" + service
                                        + "?passing")).build();
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - t0;
                    }
                } finally {
                    done.countDown();
                }
            }).start();
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        int completed = Math.min(next.get(), requests);
        long[] measured = Arrays.copyOf(latencies, completed);
        Arrays.sort(measured);
        System.out.printf("%-8s clients=%-3d requests=%-6d errors=%-4d seconds=%-7.2f ops/s=%-8.0f p50=%.2fms p99=%.2fms%n",
                mode, clients, completed, errors.get(), seconds, completed / seconds,
                pct(measured, 0.50), pct(measured, 0.99));
    }

    private static final Pattern VALUE = Pattern.compile("\"value\":([0-9.E]+)");

    private static void idle(HttpClient http, List<String> urls, String pids, long seconds) throws Exception {
        String url = urls.get(0) + "/actuator/metrics/beacon.raft.applied.index";
        long before = gauge(http, url);
        long cpuBefore = cpuTicks(pids);
        Thread.sleep(seconds * 1000);
        long after = gauge(http, url);
        long cpuAfter = cpuTicks(pids);
        System.out.printf("idle     seconds=%d raft-entries-applied=%d (%.2f/s) server-cpu=%.1f%% of one core%n",
                seconds, after - before, (after - before) / (double) seconds,
                100.0 * (cpuAfter - cpuBefore) / 100.0 / seconds);
    }

    private static long gauge(HttpClient http, String url) throws Exception {
        Matcher m = VALUE.matcher(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    /** utime + stime of the processes, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(String pids) throws Exception {
        long total = 0;
        for (String pid : pids.split(",")) {
            if (pid.isBlank()) {
                continue;
            }
            String stat = Files.readString(Path.of("/proc", pid.trim(), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            total += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return total;
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
