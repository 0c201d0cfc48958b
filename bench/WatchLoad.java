import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parks N blocking queries on one key (spread over the given servers), waits until the servers report them
 * parked, writes the key once and measures how long until every watcher has its answer. Bounded: it gives up
 * after --max-seconds. Run: java bench/WatchLoad.java --urls http://127.0.0.1:8501,... --watchers 10000
 * With --pids p1,p2,p3 (the servers' PIDs) it also reports their heap after a full GC, before and while parked.
 */
public final class WatchLoad {
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].substring(2), args[i + 1]);
        }
        List<String> urls = Arrays.asList(o.getOrDefault("urls", "http://127.0.0.1:8500").split(","));
        int watchers = Integer.parseInt(o.getOrDefault("watchers", "10000"));
        long maxSeconds = Long.parseLong(o.getOrDefault("max-seconds", "240"));
        String key = "bench/watched";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        send(http, HttpRequest.newBuilder(URI.create(urls.get(0) + "/v1/kv/" + key))
                .PUT(HttpRequest.BodyPublishers.ofString("v0")).build());
        HttpResponse<String> first = send(http, HttpRequest.newBuilder(
                URI.create(urls.get(0) + "/v1/kv/" + key + "?consistent")).build());
        long index = Long.parseLong(first.headers().firstValue("X-Consul-Index").orElseThrow());

        List<String> pids = o.containsKey("pids") ? Arrays.asList(o.get("pids").split(",")) : List.of();
        long heapBefore = heapUsedKiB(pids);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>(watchers);
        for (int i = 0; i < watchers; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(urls.get(i % urls.size()) + "/v1/kv/" + key
                    + "?stale&index=" + index + "&wait=5m")).timeout(Duration.ofMinutes(6)).build();
            all.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (e == null && r.statusCode() == 200) {
                    answered.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            }));
        }
        long parked = 0;
        while (System.nanoTime() < deadline && (parked = parked(http, urls)) < watchers && failed.get() == 0) {
            Thread.sleep(200);
        }
        long heapParked = heapUsedKiB(pids);
        System.out.printf("parked=%d (of %d requested), failed before the write=%d%n", parked, watchers, failed.get());
        if (!pids.isEmpty()) {
            System.out.printf("heap used after GC, all servers: before=%d MiB parked=%d MiB (%.1f KiB per watcher)%n",
                    heapBefore / 1024, heapParked / 1024, (heapParked - heapBefore) / (double) Math.max(1, parked));
        }

        long t0 = System.nanoTime();
        send(http, HttpRequest.newBuilder(URI.create(urls.get(0) + "/v1/kv/" + key))
                .PUT(HttpRequest.BodyPublishers.ofString("v1")).build());
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                .exceptionally(e -> null).join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("watchers=%d answered=%d failed=%d write-to-all-answered=%.2fs%n",
                watchers, answered.get(), failed.get(), seconds);
    }

    private static final Pattern VALUE = Pattern.compile("\"value\":([0-9.E]+)");

    /** Sum of the beacon.watches.parked gauge over the servers. */
    private static long parked(HttpClient http, List<String> urls) throws Exception {
        long total = 0;
        for (String url : urls) {
            String body = send(http, HttpRequest.newBuilder(
                    URI.create(url + "/actuator/metrics/beacon.watches.parked")).build()).body();
            Matcher m = VALUE.matcher(body);
            if (m.find()) {
                total += (long) Double.parseDouble(m.group(1));
            }
        }
        return total;
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

    private static String jcmd(String pid, String command) throws Exception {
        String jcmd = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, pid, command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
