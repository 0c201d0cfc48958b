package dev.beacon.etcd;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.beacon.acl.Permissions;
import dev.beacon.api.BlockingQueries;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Store;

/**
 * What the etcd front door answers, by path: {@code /v2/keys/...} ({@link EtcdKeys}), the cluster endpoints
 * ({@code /v2/members}, {@code /v2/machines}, {@code /v2/stats/*}), {@code /version}, {@code /health} and
 * {@code /metrics} ({@link EtcdMetrics}), with the headers etcd sends. Unknown paths are Go's plain
 * {@code 404 page not found}.
 */
public final class EtcdRoutes {
    private static final String KEYS = "/v2/keys";
    private static final String AUTH = "/v2/auth";
    /**
     * The answer to etcd's v2 auth API ({@code etcdctl user}, {@code role}, {@code auth}), which Beacon does not
     * provide: its ACLs are Consul's. etcd's clients show the {@code message} of an auth answer in the 4xx range to the
     * user, where Go's plain 404 text fails as JSON ("invalid character 'p' after top-level value") and a 5xx is taken
     * for a broken member.
     */
    static final EtcdClusterInfo.Message AUTH_NOT_PROVIDED = new EtcdClusterInfo.Message("auth: etcd's v2 auth is "
            + "not provided by Beacon, whose ACLs are Consul's: send a Consul ACL token in X-Consul-Token, or set "
            + "the servers' default token");
    /**
     * The cluster endpoints, which only describe: etcd adds, removes and updates members through POST, DELETE and PUT
     * on {@code /v2/members}, which Beacon does not do (its servers come from its configuration), so those are
     * refused as etcd refuses a method an endpoint does not take, not answered with the member list.
     */
    private static final Set<String> READ_ONLY = Set.of("/v2/members", "/v2/members/leader", "/v2/machines",
            "/v2/stats/self", "/v2/stats/leader", "/v2/stats/store", "/version", "/health");

    private final EtcdKeys keys;
    private final EtcdClusterInfo cluster;
    private final ClusterView view;
    private final Store store;
    private final EtcdStoreCounters counters;
    private final FollowerLatencies latencies;
    private final EtcdMetrics metrics;
    private final Instant startTime;

    EtcdRoutes(EtcdKeys keys, EtcdClusterInfo cluster, ClusterView view, Store store, EtcdStoreCounters counters,
               FollowerLatencies latencies, EtcdMetrics metrics, Instant startTime) {
        this.keys = keys;
        this.cluster = cluster;
        this.view = view;
        this.store = store;
        this.counters = counters;
        this.latencies = latencies;
        this.metrics = metrics;
        this.startTime = startTime;
    }

    /**
     * The front door over this server's replica.
     *
     * @param permissions what a request's ACL token (empty for none) may do
     * @param completions where parked watches resume, off the Raft apply thread
     */
    public static EtcdRoutes over(Store store, Replicator replicator, BlockingQueries queries, ClusterView view,
                                  EtcdClusterInfo cluster, EtcdStoreCounters counters, FollowerLatencies latencies,
                                  EtcdMetrics metrics, Function<String, Permissions> permissions,
                                  Executor completions) {
        LongSupplier clock = System::currentTimeMillis;
        EtcdWatches watches = new EtcdWatches(store, completions, counters, clock);
        EtcdKeys keys = new EtcdKeys(queries, replicator, watches, counters, permissions, clock);
        return new EtcdRoutes(keys, cluster, view, store, counters, latencies, metrics, Instant.now());
    }

    /**
     * An answer with the headers to send beside the common ones. {@code watch}: a GET with {@code wait=true}, whose
     * headers (X-Etcd-Index: when the watch started) go at once if it has to wait, as etcd sends them. A streamed
     * watch ({@code stream=true}) also has {@code next}: the watch for the events after an index, asked for again
     * after each event it sends.
     */
    record Routed(CompletableFuture<EtcdReply> reply, Map<String, String> headers, boolean watch,
                  Function<Long, CompletableFuture<EtcdReply>> next) {
        Routed(CompletableFuture<EtcdReply> reply, Map<String, String> headers) {
            this(reply, headers, false, null);
        }
    }

    Routed route(String method, String rawPath, String query, byte[] body, String token) {
        // etcd's mux takes the member list with a trailing slash too.
        String path = rawPath.equals("/v2/members/") ? "/v2/members" : rawPath;
        if (path.equals(KEYS) || path.startsWith(KEYS + "/")) {
            return keys(method, clean(path.substring(KEYS.length())), query, body, token);
        }
        Map<String, String> none = Map.of();
        if (path.equals(AUTH) || path.startsWith(AUTH + "/")) {
            return new Routed(done(404, AUTH_NOT_PROVIDED), clusterHeader());
        }
        if (!method.equals("GET") && !method.equals("HEAD")
                && (READ_ONLY.contains(path) || path.startsWith("/v2/members/"))) {
            return new Routed(done(405, "Method Not Allowed\n"), Map.of("Allow", "GET,HEAD"));
        }
        return switch (path) {
            case "/v2/members" -> new Routed(done(200, cluster.members()), clusterHeader());
            case "/v2/members/leader" -> new Routed(done(cluster.leader().isPresent() ? 200 : 503,
                    cluster.leader().isPresent() ? cluster.leader().get() : EtcdClusterInfo.DURING_ELECTION),
                    clusterHeader());
            case "/v2/machines" -> new Routed(done(200, cluster.machines()), none);
            case "/v2/stats/self" -> new Routed(done(200, cluster.selfStats(startTime,
                    EtcdClusterInfo.SelfCounters.NONE)), none);
            case "/v2/stats/leader" -> new Routed(cluster.leaderStats(latencies)
                    .map(stats -> done(200, stats)).orElseGet(() -> done(403, EtcdClusterInfo.NOT_LEADER)), none);
            case "/v2/stats/store" -> new Routed(done(200, counters.snapshot(store.expiredKeys())), none);
            case "/version" -> new Routed(done(200, cluster.version()), none);
            case "/metrics" -> new Routed(done(200, metrics.render()), none);
            case "/health" -> {
                EtcdClusterInfo.Health health = cluster.health();
                yield new Routed(done(health == EtcdClusterInfo.Health.TRUE ? 200 : 503, health), none);
            }
            default -> path.startsWith("/v2/members/")
                    ? new Routed(done(404, new EtcdClusterInfo.Message("Not found")), clusterHeader())
                    : new Routed(done(404, "404 page not found\n"), none);
        };
    }

    private Routed keys(String method, String path, String query, byte[] body, String token) {
        try {
            EtcdParams params = EtcdParams.of(query, body);
            // A watch's headers may go before its event: etcd's X-Etcd-Index there is when the watch started.
            boolean watch = method.equals("GET") && EtcdKeys.waits(params);
            long started = watch ? store.lastIndex() : 0;
            CompletableFuture<EtcdReply> reply = keys.handle(method, path, params, token);
            if (watch) {
                Map<String, String> headers = keyHeaders();
                headers.put("X-Etcd-Index", Long.toString(started));
                if (!params.flag("stream", false)) {
                    return new Routed(reply, headers, true, null);
                }
                boolean recursive = params.flag("recursive", false);
                return new Routed(reply, headers, true, from -> keys.watchFrom(path, recursive, from));
            }
            return new Routed(reply, keyHeaders());
        } catch (EtcdRequestException e) {
            // As etcd answers a request it refused to read: index 0, in the body and in X-Etcd-Index.
            return new Routed(CompletableFuture.completedFuture(EtcdReply.failure(e.failure())), keyHeaders());
        }
    }

    /** The headers every keys answer carries; X-Etcd-Index is the answer's own. */
    private Map<String, String> keyHeaders() {
        Map<String, String> headers = new LinkedHashMap<>(clusterHeader());
        headers.put("X-Raft-Index", Long.toString(store.lastIndex()));
        headers.put("X-Raft-Term", Long.toString(view.term()));
        return headers;
    }

    private Map<String, String> clusterHeader() {
        return Map.of("X-Etcd-Cluster-Id", cluster.clusterId());
    }

    /** The key's path without etcd's leading slash, as Go's path.Clean would leave it: no empty or dot segments. */
    static String clean(String path) {
        StringBuilder cleaned = new StringBuilder();
        java.util.ArrayDeque<String> segments = new java.util.ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        for (String segment : segments) {
            if (!cleaned.isEmpty()) {
                cleaned.append('/');
            }
            cleaned.append(segment);
        }
        return cleaned.toString();
    }

    private static CompletableFuture<EtcdReply> done(int status, Object body) {
        return CompletableFuture.completedFuture(new EtcdReply(status, body, EtcdReply.NO_INDEX));
    }
}
