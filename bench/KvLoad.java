import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded KV load generator for Beacon (Consul KV API) and etcd (v3 JSON gateway), so both run the same workload.
 * Run with {@code java bench/KvLoad.java --target consul --urls http://127.0.0.1:8501 --op put --clients 16}.
 * Every run is bounded by a request count and a time limit; it prints one result line.
 *
 * Options: --target consul|etcd, --urls a,b,c (client i uses url i mod n), --op put|get|stale-get,
 * --clients N, --requests N (total), --max-seconds N, --keys N (distinct keys), --key-size B, --value-size B.
 */
public final class KvLoad {
    public static void main(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        String target = o.getOrDefault("target", "consul");
        List<String> urls = Arrays.asList(o.getOrDefault("urls", "http://127.0.0.1:8500").split(","));
        String op = o.getOrDefault("op", "put");
        int clients = Integer.parseInt(o.getOrDefault("clients", "16"));
        int requests = Integer.parseInt(o.getOrDefault("requests", "10000"));
        long maxNanos = Duration.ofSeconds(Long.parseLong(o.getOrDefault("max-seconds", "60"))).toNanos();
        int keys = Integer.parseInt(o.getOrDefault("keys", "1000"));
        int keySize = Integer.parseInt(o.getOrDefault("key-size", "256"));
        int valueSize = Integer.parseInt(o.getOrDefault("value-size", "1024"));

        String[] keyNames = new String[keys];
        for (int i = 0; i < keys; i++) {
            String base = "bench/" + i + "/";
            keyNames[i] = base + "k".repeat(Math.max(0, keySize - base.length()));
        }
        byte[] value = "v".repeat(valueSize).getBytes(StandardCharsets.UTF_8);
        Protocol protocol = target.equals("etcd") ? new Etcd() : new Consul();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        if (op.endsWith("get")) {
            // Reads need data: write every key once first (not measured).
            for (int i = 0; i < keys; i++) {
                check(http.send(protocol.put(urls.get(0), keyNames[i], value), HttpResponse.BodyHandlers.discarding()));
            }
        }

        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            String url = urls.get(c % urls.size());
            Thread t = new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < requests && System.nanoTime() - start < maxNanos) {
                        String key = keyNames[i % keys];
                        HttpRequest request = switch (op) {
                            case "put" -> protocol.put(url, key, value);
                            case "get" -> protocol.get(url, key, false);
                            case "stale-get" -> protocol.get(url, key, true);
                            default -> throw new IllegalArgumentException("unknown op " + op);
                        };
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
            });
            t.start();
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        int completed = Math.min(next.get(), requests);
        long[] measured = Arrays.copyOf(latencies, completed);
        Arrays.sort(measured);
        System.out.printf("%-7s %-9s clients=%-3d requests=%-6d errors=%-4d seconds=%-7.2f ops/s=%-8.0f p50=%.2fms p99=%.2fms%n",
                target, op, clients, completed, errors.get(), seconds, completed / seconds,
                percentile(measured, 0.50), percentile(measured, 0.99));
    }

    interface Protocol {
        HttpRequest put(String url, String key, byte[] value);

        HttpRequest get(String url, String key, boolean stale);
    }

    static final class Consul implements Protocol {
        public HttpRequest put(String url, String key, byte[] value) {
            return HttpRequest.newBuilder(URI.create(url + "/v1/kv/" + key))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build();
        }

        public HttpRequest get(String url, String key, boolean stale) {
            return HttpRequest.newBuilder(URI.create(url + "/v1/kv/" + key + (stale ? "?stale" : ""))).GET().build();
        }
    }

    static final class Etcd implements Protocol {
        private static String b64(byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }

        public HttpRequest put(String url, String key, byte[] value) {
            String body = "{\"key\":\"" + b64(key.getBytes(StandardCharsets.UTF_8)) + "\",\"value\":\"" + b64(value) + "\"}";
            return HttpRequest.newBuilder(URI.create(url + "/v3/kv/put"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }

        public HttpRequest get(String url, String key, boolean stale) {
            String body = "{\"key\":\"" + b64(key.getBytes(StandardCharsets.UTF_8)) + "\""
                    + (stale ? ",\"serializable\":true" : "") + "}";
            return HttpRequest.newBuilder(URI.create(url + "/v3/kv/range"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }
    }

    private static void check(HttpResponse<?> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("preload failed: HTTP " + response.statusCode());
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
