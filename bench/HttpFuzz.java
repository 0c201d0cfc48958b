import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * HTTP fuzzer for the /v1 API: random routes, methods, query parameters (known names with malformed values, and
 * unknown ones), bodies (valid, malformed and mistyped JSON, binary, empty, oversized) and some malformed HTTP,
 * sent one at a time over a raw keep-alive socket. It counts answers by status and keeps samples of every 5xx that
 * is not one of Consul's documented ones (no leader, no path to a datacenter, a critical agent service's 503), of every request left unanswered for 15 s, and of every refused write
 * that changed the state: for a sample of refused writes (4xx to PUT, POST or DELETE) the KV tree, the catalog,
 * sessions and checks are read before and after and compared (a difference is confirmed by sending the write again
 * twice, each time after the state held still, as the server changes some of that by itself). Bounded by --requests
 * and --seconds. At the end the server must still answer a write and a read, with no more live threads than before
 * (give or take pools growing).
 * Run: java bench/HttpFuzz.java --target 127.0.0.1:8500 [--requests 1000000] [--seconds 1800] [--seed 1]
 *      [--check-every 20]   (compare the state around one refused write in N)
 */
public final class HttpFuzz {
    private static final String[] METHODS = {"GET", "GET", "GET", "PUT", "PUT", "PUT", "POST", "DELETE", "HEAD",
        "PATCH", "OPTIONS"};
    private static final String[] ROUTES = {"/v1/kv/{key}", "/v1/kv/{key}", "/v1/kv/{key}", "/v1/kv/", "/v1/txn",
        "/v1/catalog/register", "/v1/catalog/deregister", "/v1/catalog/services", "/v1/catalog/service/{name}",
        "/v1/catalog/nodes", "/v1/catalog/node/{name}", "/v1/catalog/node-services/{name}",
        "/v1/catalog/datacenters", "/v1/health/service/{name}", "/v1/health/checks/{name}",
        "/v1/health/node/{name}", "/v1/health/state/{name}", "/v1/session/create", "/v1/session/destroy/{name}",
        "/v1/session/renew/{name}", "/v1/session/info/{name}", "/v1/session/node/{name}", "/v1/session/list",
        "/v1/agent/self", "/v1/agent/members", "/v1/agent/services", "/v1/agent/checks",
        "/v1/agent/service/register", "/v1/agent/service/deregister/{name}", "/v1/agent/check/register",
        "/v1/agent/check/pass/{name}", "/v1/agent/check/fail/{name}", "/v1/agent/check/update/{name}",
        "/v1/agent/check/deregister/{name}", "/v1/agent/health/service/name/{name}", "/v1/status/leader",
        "/v1/status/peers", "/v1/operator/raft/configuration", "/v1/operator/raft/peer", "/v1/event/fire/{name}",
        "/v1/event/list", "/v1/coordinate/nodes", "/v1/coordinate/datacenters", "/v1/{junk}", "/v1/kv",
        "/v1/catalog/{junk}", "/v1/agent/version", "/v1/agent/host", "/v1/agent/metrics", "/v1/agent/join/{name}",
        "/v1/agent/force-leave/{name}", "/v1/operator/autopilot/health", "/v1/operator/autopilot/state",
        "/v1/snapshot"};
    private static final String[] PARAMS = {"index", "wait", "cas", "flags", "recurse", "keys", "separator", "raw",
        "consistent", "stale", "dc", "token", "acquire", "release", "tag", "passing", "filter", "near", "node-meta",
        "pretty", "ns", "cached", "modify-index", "replace-existing-checks", "unknown-" + "param"};
    private static final String[] VALUES = {"", "0", "1", "-1", "2", "abc", "99999999999999999999", "1s", "10ms",
        "5m", "-5s", "%", "%zz", "true", "false", "dc1", "dc2", "x:y", "a=b", "/", "\u00e9", "..", "null",
        "18446744073709551615", "9223372036854775807", "1e3", " ", "00000000-0000-0000-0000-000000000000",
        "prometheus", "Service.Tags contains x", "(", "a == \"", "not not not", "Meta[\"k\"] is empty",
        "Node matches \"[\"", "Checks.Status != passing", "ServicePort == 0x1F", "\"v\" in Service.Meta or"};
    private static final String[] JSON = {"{}", "[]", "null", "true", "1", "\"s\"", "{\"Node\":", "{\"Node\":5}",
        "{\"Node\":\"fz\",\"Address\":[]}", "{\"Node\":\"fz\",\"Address\":\"127.0.0.9\"}",
        "{\"Node\":\"fz\",\"Address\":\"127.0.0.9\",\"Service\":{\"Service\":\"fzs\",\"Port\":\"x\"}}",
        "{\"Node\":\"fz\",\"Address\":\"127.0.0.9\",\"Service\":{\"Service\":\"fzs\",\"Port\":70000}}",
        "{\"Node\":\"fz\",\"Address\":\"127.0.0.9\",\"Check\":{\"CheckID\":\"c\",\"Status\":\"bogus\"}}",
        "{\"Name\":\"fzs\",\"Port\":8080}", "{\"Name\":\"\",\"Port\":-1}", "{\"ID\":\"c1\",\"Name\":\"c\",\"TTL\":\"x\"}",
        "{\"ID\":\"c1\",\"Name\":\"c\",\"TTL\":\"15s\"}", "{\"TTL\":\"5s\"}", "{\"TTL\":\"9999h\"}",
        "{\"Behavior\":\"explode\"}", "{\"LockDelay\":\"-1s\"}", "{\"Node\":\"nonexistent\"}",
        "[{\"KV\":{\"Verb\":\"set\",\"Key\":\"fuzz/t\",\"Value\":\"eA==\"}}]",
        "[{\"KV\":{\"Verb\":\"set\",\"Key\":\"fuzz/t\",\"Value\":\"not base64!\"}}]",
        "[{\"KV\":{\"Verb\":\"cas\",\"Key\":\"fuzz/t\",\"Index\":\"x\"}}]", "[{\"KV\":{\"Verb\":\"nope\"}}]",
        "[{\"KV\":{\"Verb\":\"delete-tree\",\"Key\":\"fuzz/\"}}]", "[{\"Node\":{\"Verb\":\"set\"}}]",
        "{\"Status\":\"passing\",\"Output\":5}", "{\"Datacenter\":7}", "\"\\ud800\"", "{\"a\":1e999999}",
        "{\"a\":-0,\"b\":[1,2,{\"c\":null}]}",
        "{\"Name\":\"fzw\",\"Weights\":{\"Passing\":0}}", "{\"Name\":\"fzw\",\"Weights\":[]}",
        "{\"Name\":\"fzp\",\"Proxy\":{\"A\":[1]},\"Connect\":5}",
        "{\"Name\":\"fzt\",\"TaggedAddresses\":{\"wan\":{\"Port\":99999}}}",
        "{\"Name\":\"c\",\"Args\":[\"/bin/true\"],\"Interval\":\"10s\"}"};

    private final String host;
    private final int port;
    private final Random random;
    private final Map<String, Long> statuses = new TreeMap<>();
    private final List<String> samples = new ArrayList<>();
    private Socket socket;
    private long unexpected5xx;
    private long stuck;
    private long refusedWritesChecked;
    private long refusedWritesChanged;

    private HttpFuzz(String host, int port, long seed) {
        this.host = host;
        this.port = port;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String[] target = options.getOrDefault("target", "127.0.0.1:8500").split(":");
        long requests = Long.parseLong(options.getOrDefault("requests", "1000000"));
        long deadline = System.nanoTime() + Long.parseLong(options.getOrDefault("seconds", "1800")) * 1_000_000_000L;
        int checkEvery = Integer.parseInt(options.getOrDefault("check-every", "20"));
        HttpFuzz fuzz = new HttpFuzz(target[0], Integer.parseInt(target[1]),
                Long.parseLong(options.getOrDefault("seed", "1")));
        int threadsBefore = fuzz.liveThreads();
        long sent = 0;
        long started = System.nanoTime();
        while (sent < requests && System.nanoTime() < deadline) {
            fuzz.one(checkEvery);
            sent++;
            if (sent % 100_000 == 0) {
                System.out.printf("%,d requests, %.0f/s, %s%n", sent, sent / ((System.nanoTime() - started) / 1e9),
                        fuzz.statuses);
            }
        }
        Answer write = fuzz.exchange(request("PUT", "/v1/kv/fuzz/final", "ok".getBytes(StandardCharsets.UTF_8)));
        Answer read = fuzz.exchange(request("GET", "/v1/kv/fuzz/final?raw", new byte[0]));
        int threadsAfter = fuzz.liveThreads();
        System.out.printf("%n%,d requests in %.0f s%nstatuses: %s%nunexpected 5xx: %d%nunanswered within 15 s: %d%n"
                        + "refused writes checked: %d, of which changed the state: %d%n"
                        + "afterwards: write %d, read %d (%s); live threads %d before, %d after%n",
                sent, (System.nanoTime() - started) / 1e9, fuzz.statuses, fuzz.unexpected5xx, fuzz.stuck,
                fuzz.refusedWritesChecked, fuzz.refusedWritesChanged, write.status, read.status, read.text(),
                threadsBefore, threadsAfter);
        fuzz.samples.forEach(s -> System.out.println("sample: " + s));
        boolean ok = fuzz.unexpected5xx == 0 && fuzz.stuck == 0 && fuzz.refusedWritesChanged == 0
                && write.status == 200 && read.status == 200 && read.text().equals("ok")
                && threadsAfter <= threadsBefore + 20;
        System.out.println(ok ? "PASS" : "FAIL");
        System.exit(ok ? 0 : 1);
    }

    private void one(int checkEvery) throws IOException {
        boolean malformedHttp = random.nextInt(20) == 0;
        byte[] raw = malformedHttp ? malformedRequest() : wellFormedRequest();
        String method = new String(raw, 0, Math.min(8, raw.length), StandardCharsets.ISO_8859_1).split(" ")[0];
        boolean write = method.equals("PUT") || method.equals("POST") || method.equals("DELETE");
        boolean check = write && !malformedHttp && random.nextInt(checkEvery) == 0;
        String before = check ? state() : null;
        Answer answer = exchange(raw);
        count(answer, raw);
        if (check && answer.status >= 400 && answer.status < 500) {
            refusedWritesChecked++;
            // The server changes some state by itself (sessions and keys expire, TTL checks lapse, agent services
            // sync): a refused write counts as changing the state only if sending it again changes it twice more,
            // each time right after the state was seen to hold still.
            if (!before.equals(state()) && changesAgain(raw) && changesAgain(raw)) {
                refusedWritesChanged++;
                sample("refused write changed the state: " + head(raw) + " -> " + answer.status + " "
                        + answer.text());
            }
        }
    }

    /** Whether sending {@code raw} again, refused again, changes a state that held still just before. */
    private boolean changesAgain(byte[] raw) throws IOException {
        String still = state();
        if (!still.equals(state())) {
            return false;
        }
        Answer replayed = exchange(raw);
        return replayed.status >= 400 && replayed.status < 500 && !still.equals(state());
    }

    private void count(Answer answer, byte[] raw) {
        statuses.merge(answer.status < 0 ? "none" : Integer.toString(answer.status), 1L, Long::sum);
        if (answer.status == -1) {
            stuck++;
            sample("unanswered: " + head(raw));
        } else if (answer.status >= 500) {
            String body = answer.text();
            // Consul's documented 5xx: no leader (or no quorum), a datacenter it has no path to, and the agent's
            // service health endpoints' 503 for a critical service.
            boolean documented = body.startsWith("No cluster leader") || body.startsWith("rpc error")
                    || body.equals("No path to datacenter")
                    || (answer.status == 503 && head(raw).contains("/v1/agent/health/service/"));
            if (!documented) {
                unexpected5xx++;
                sample(answer.status + " " + body.lines().findFirst().orElse("") + " <- " + head(raw));
            }
        }
    }

    /** The server's live threads (Actuator): a request stuck on a thread would leave one more each time. */
    private int liveThreads() throws IOException {
        String body = exchange(request("GET", "/actuator/metrics/jvm.threads.live", new byte[0])).text();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"value\":([0-9.]+)").matcher(body);
        return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
    }

    private void sample(String text) {
        if (samples.size() < 40) {
            samples.add(text);
        }
    }

    /** A digest of what refused writes could touch: the fuzzer's keys, the catalog, the sessions. */
    private String state() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String path : new String[] {"/v1/kv/?recurse&consistent", "/v1/catalog/nodes?consistent",
            "/v1/catalog/services?consistent", "/v1/session/list?consistent", "/v1/health/state/any?consistent"}) {
            Answer a = exchange(request("GET", path, new byte[0]));
            all.append(a.status).append(a.text());
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(all.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] wellFormedRequest() {
        String route = pick(ROUTES);
        String method = method(route);
        String path = route.replace("{key}", key()).replace("{name}", name()).replace("{junk}", junk());
        StringBuilder query = new StringBuilder();
        int params = random.nextInt(4);
        boolean blocking = false;
        for (int i = 0; i < params; i++) {
            String name = pick(PARAMS);
            String value = random.nextInt(4) == 0 ? junk() : pick(VALUES);
            blocking |= name.equals("index");
            query.append(query.isEmpty() ? "?" : "&").append(name);
            if (!value.isEmpty() || random.nextBoolean()) {
                query.append('=').append(encode(value));
            }
        }
        if (blocking) {
            // A blocking query on a future index would park for its wait (5 min by default): keep it short.
            query.append("&wait=10ms");
        }
        return request(method, path + query, body());
    }

    /** Oversized and deeply nested bodies are rare: each costs the time of hundreds of small requests. */
    private byte[] body() {
        int pick = random.nextInt(200);
        if (pick == 0) {
            return new byte[512 * 1024 + random.nextInt(100 * 1024)];
        }
        if (pick < 4) {
            return ("[".repeat(2000 + random.nextInt(20000))).getBytes(StandardCharsets.UTF_8);
        }
        return switch (random.nextInt(6)) {
            case 0 -> new byte[0];
            case 1 -> junk().getBytes(StandardCharsets.UTF_8);
            case 2 -> {
                byte[] b = new byte[random.nextInt(2048)];
                random.nextBytes(b);
                yield b;
            }
            default -> pick(JSON).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Mostly a method the route takes, so that requests get past routing; sometimes any. */
    private String method(String route) {
        if (random.nextInt(5) == 0) {
            return pick(METHODS);
        }
        if (route.startsWith("/v1/kv")) {
            return pick(new String[] {"GET", "PUT", "DELETE"});
        }
        boolean write = route.matches(".*(register|txn|create|destroy|renew|fire|pass|fail|update|peer).*");
        return write ? "PUT" : "GET";
    }

    private byte[] malformedRequest() {
        return switch (random.nextInt(7)) {
            case 0 -> "GARBAGE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            case 1 -> ("GET /v1/kv/" + "a".repeat(20000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            case 2 -> "PUT /v1/kv/fuzz/x HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            case 3 -> "PUT /v1/kv/fuzz/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            case 4 -> ("GET /v1/status/leader HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(70000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            case 5 -> "GET /v1/kv/%ZZ%00 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            default -> "GET /v1/status/leader HTTP/9.9\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        };
    }

    private String key() {
        return switch (random.nextInt(6)) {
            case 0 -> "fuzz/" + random.nextInt(50);
            case 1 -> "fuzz/" + encode(junk());
            case 2 -> "fuzz/" + "k".repeat(random.nextInt(3000));
            case 3 -> "fuzz/dir/" + random.nextInt(10) + "/";
            case 4 -> "";
            default -> "fuzz/%2F" + encode("\u00e9\u0000/..");
        };
    }

    private String name() {
        return random.nextBoolean() ? pick(new String[] {"fz", "fzs", "web", "c1", "serfHealth", "any", "passing",
            "critical", "warning", "bogus"}) : encode(junk());
    }

    private String junk() {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(24);
        for (int i = 0; i < n; i++) {
            s.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
        }
        return s.toString();
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] request(String method, String target, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = method + " " + target + " HTTP/1.1\r\nHost: fuzz\r\n"
                + (body.length > 0 || method.equals("PUT") || method.equals("POST")
                ? "Content-Length: " + body.length + "\r\n" : "") + "\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static String head(byte[] raw) {
        String s = new String(raw, 0, Math.min(raw.length, 200), StandardCharsets.ISO_8859_1);
        int end = s.indexOf("\r\n");
        String line = end < 0 ? s : s.substring(0, end);
        int body = s.indexOf("\r\n\r\n");
        return line + (body >= 0 && body + 4 < s.length() ? " body " + s.substring(body + 4).replaceAll("\\s", " ")
                : "");
    }

    /** status -1: no answer within 15 s; 0: the server closed the connection without an answer. */
    private record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8).strip();
        }
    }

    private Answer exchange(byte[] raw) throws IOException {
        try {
            if (socket == null) {
                socket = new Socket();
                socket.connect(new InetSocketAddress(host, port), 5_000);
                socket.setSoTimeout(15_000);
            }
            OutputStream out = socket.getOutputStream();
            try {
                out.write(raw);
                out.flush();
            } catch (IOException e) {
                // The server may answer (400) and close before reading a large or malformed request.
            }
            return readAnswer(socket.getInputStream(), raw);
        } catch (SocketTimeoutException e) {
            close();
            return new Answer(-1, new byte[0]);
        } catch (IOException e) {
            close();
            return new Answer(0, new byte[0]);
        }
    }

    private Answer readAnswer(InputStream in, byte[] raw) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            close();
            return new Answer(0, new byte[0]);
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closing = true;
            }
        }
        byte[] body;
        boolean head = raw.length >= 4 && new String(raw, 0, 4, StandardCharsets.ISO_8859_1).equals("HEAD");
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        } else if (chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).split(";")[0].strip(), 16); size > 0;
                 size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) {
                out.writeBytes(in.readNBytes(size));
                line(in);
            }
            line(in);
            body = out.toByteArray();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
        } else {
            body = in.readAllBytes();
            closing = true;
        }
        if (closing) {
            close();
        }
        return new Answer(status, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                return out.toString(StandardCharsets.ISO_8859_1).replaceFirst("\r$", "");
            }
            out.write(b);
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
    }

    private void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a broken socket: nothing more to do.
            }
            socket = null;
        }
    }
}
