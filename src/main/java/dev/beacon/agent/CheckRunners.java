package dev.beacon.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.beacon.state.CheckStatus;
import org.springframework.http.HttpStatus;

/**
 * Runs this agent's checks: HTTP, TCP and gRPC probes at their interval, and TTL timers that turn a check critical
 * when no heartbeat came in time. Results go to a reporter, which decides whether anything changed.
 */
public final class CheckRunners {
    static final int MAX_OUTPUT = 4096;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final ScheduledExecutorService scheduler;
    private final BiConsumer<String, CheckResult> reporter;
    private final Map<String, ScheduledFuture<?>> running = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final HttpClient httpSkippingTlsChecks;
    private final GrpcHealthProbe grpc;

    /** @param reporter receives (check id, result) for every run and every TTL expiry */
    public CheckRunners(ScheduledExecutorService scheduler, BiConsumer<String, CheckResult> reporter) {
        this.scheduler = scheduler;
        this.reporter = reporter;
        this.http = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build();
        this.httpSkippingTlsChecks = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT)
                .sslContext(trustEverything()).build();
        this.grpc = new GrpcHealthProbe(TRUST_EVERYTHING);
    }

    public void start(CheckDefinition check) {
        stop(check.checkId());
        if (check.ttl() != null) {
            armTtl(check);
            return;
        }
        Runnable probe = switch (check.type()) {
            case "http" -> () -> runHttp(check);
            case "tcp" -> () -> runTcp(check);
            case "grpc" -> () -> grpc.probe(check, timeout(check), result -> reporter.accept(check.checkId(), result));
            default -> throw new IllegalArgumentException("nothing runs a check of type " + check.type());
        };
        running.put(check.checkId(), scheduler.scheduleWithFixedDelay(probe, 0,
                check.interval().toMillis(), TimeUnit.MILLISECONDS));
    }

    /** A TTL heartbeat arrived: the check has its full TTL again. */
    public void ttlRenewed(CheckDefinition check) {
        if (check.ttl() != null) {
            armTtl(check);
        }
    }

    public void stop(String checkId) {
        ScheduledFuture<?> previous = running.remove(checkId);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void armTtl(CheckDefinition check) {
        ScheduledFuture<?> expiry = scheduler.schedule(() -> reporter.accept(check.checkId(),
                        new CheckResult(CheckStatus.CRITICAL, "TTL expired")),
                check.ttl().toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = running.put(check.checkId(), expiry);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private static Duration timeout(CheckDefinition check) {
        return check.timeout() == null ? DEFAULT_TIMEOUT : check.timeout();
    }

    /** 2xx passes, 429 warns, anything else (or no answer) is critical, as in Consul. */
    private void runHttp(CheckDefinition check) {
        Duration timeout = timeout(check);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(check.http())).timeout(timeout)
                .method(check.method() == null ? "GET" : check.method(), check.body() == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(check.body()));
        check.headers().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        HttpClient client = check.tlsSkipVerify() ? httpSkippingTlsChecks : http;
        String what = "HTTP " + (check.method() == null ? "GET" : check.method()) + " " + check.http();
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream()).whenComplete((r, e) -> {
            if (e != null) {
                reporter.accept(check.checkId(), new CheckResult(CheckStatus.CRITICAL, what + ": " + e));
                return;
            }
            String body;
            try (var in = r.body()) {
                body = new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
            } catch (IOException io) {
                body = "";
            }
            int code = r.statusCode();
            CheckStatus status = code >= 200 && code < 300 ? CheckStatus.PASSING
                    : code == 429 ? CheckStatus.WARNING : CheckStatus.CRITICAL;
            // Go's status line, as Consul writes it: "200 OK", "503 Service Unavailable".
            HttpStatus known = HttpStatus.resolve(code);
            String statusLine = known == null ? Integer.toString(code) : code + " " + known.getReasonPhrase();
            reporter.accept(check.checkId(), new CheckResult(status, what + ": " + statusLine + " Output: " + body));
        });
    }

    private void runTcp(CheckDefinition check) {
        int colon = check.tcp().lastIndexOf(':');
        String host = check.tcp().substring(0, colon);
        int port = Integer.parseInt(check.tcp().substring(colon + 1));
        Duration timeout = timeout(check);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            reporter.accept(check.checkId(), new CheckResult(CheckStatus.PASSING,
                    "TCP connect " + check.tcp() + ": Success"));
        } catch (IOException e) {
            reporter.accept(check.checkId(), new CheckResult(CheckStatus.CRITICAL,
                    "dial tcp " + check.tcp() + ": " + e.getMessage()));
        }
    }

    /** For checks registered with TLSSkipVerify, as Consul allows: the probe trusts any certificate. */
    private static final X509TrustManager TRUST_EVERYTHING = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private static SSLContext trustEverything() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {TRUST_EVERYTHING}, new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("no TLS available", e);
        }
    }
}
