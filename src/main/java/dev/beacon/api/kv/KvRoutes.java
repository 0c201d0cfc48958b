package dev.beacon.api.kv;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import dev.beacon.acl.Permissions;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRenderer;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.Caller;
import dev.beacon.api.GoDuration;
import dev.beacon.api.LastRendered;
import dev.beacon.api.QueryParams;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.KvEntry;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import org.springframework.stereotype.Component;

/**
 * Consul's {@code /v1/kv/<key>}: get (one key, a prefix, or its keys), put (with cas or a lock, or Beacon's
 * {@code ?ttl=}), delete.
 */
@Component
class KvRoutes implements ApiRoutes {
    private static final String PATH = "/v1/kv/";
    private static final byte[] EMPTY = new byte[0];

    private final Replicator replicator;
    private final BlockingQueries queries;
    private final LastRendered<KvEntry> renderedEntry;
    private final LastRendered<List<KvEntry>> renderedTree;

    KvRoutes(Replicator replicator, BlockingQueries queries, ApiRenderer renderer) {
        this.replicator = replicator;
        this.queries = queries;
        // Watchers of one key (or of one folder, as Spring Cloud Consul's config watch) share one rendering.
        this.renderedEntry = new LastRendered<>(entry -> renderer.json(List.of(KvJson.of(entry))), KvJson::sameJson);
        this.renderedTree = new LastRendered<>(entries -> renderer.json(KvJson.of(entries)), KvJson::sameJson);
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.get(PATH, Route.Resource.KEY, this::get)
                .write("PUT", PATH, Route.Resource.KEY, KvKeys.MAX_VALUE_BYTES, this::put)
                .write("DELETE", PATH, Route.Resource.KEY, 0, this::delete);
    }

    private CompletionStage<ApiResponse> get(ApiRequest request) {
        QueryParams params = request.params();
        String key = request.tail();
        Caller caller = request.caller();
        Permissions may = caller.permissions();
        if (params.flag("keys")) {
            // Consul also takes the misspelling its early clients sent.
            String separator = params.has("separator") ? params.get("separator") : params.get("seperator");
            return queries.read(request.read(), new Query.KvKeys(key)).thenApply(r -> {
                Caller.Filtered<String> keys = caller.filter(r.value(), may::keyRead);
                return (keys.items().isEmpty() ? ApiResponse.notFound(r.index())
                        : ApiResponse.read(KvKeys.keysOf(keys.items(), key, separator), r.index()))
                        .filteredByAcls(keys.dropped());
            });
        }
        if (params.flag("recurse")) {
            return queries.read(request.read(), new Query.KvList(key)).thenApply(r -> {
                Caller.Filtered<KvEntry> entries = caller.filter(r.value(), e -> may.keyRead(e.key()));
                return (entries.items().isEmpty() ? ApiResponse.notFound(r.index())
                        : ApiResponse.raw(ApiResponse.JSON, renderedTree.of(entries.items()), r.index()))
                        .filteredByAcls(entries.dropped());
            });
        }
        requireKey(key);
        caller.require(may.keyRead(key), "key:read", key);
        boolean raw = params.flag("raw");
        return queries.read(request.read(), new Query.KvGet(key)).thenApply(r -> {
            KvEntry entry = r.value();
            if (entry == null) {
                return ApiResponse.notFound(r.index());
            }
            return raw ? ApiResponse.raw("text/plain", entry.value() == null ? EMPTY : entry.value(), r.index())
                    : ApiResponse.raw(ApiResponse.JSON, renderedEntry.of(entry), r.index());
        });
    }

    private CompletionStage<ApiResponse> put(ApiRequest request) {
        QueryParams params = request.params();
        String key = request.tail();
        requireKey(key);
        request.caller().require(request.caller().permissions().keyWrite(key), "key:write", key);
        long flags = params.uint64("flags", 0);
        int conflicting = (params.has("cas") ? 1 : 0) + (params.has("acquire") ? 1 : 0)
                + (params.has("release") ? 1 : 0);
        if (conflicting > 1) {
            throw ApiException.badRequest("Conflicting flags: cas, acquire, release");
        }
        long ttlMillis = ttl(params);
        if (ttlMillis > 0 && (params.has("acquire") || params.has("release"))) {
            throw ApiException.badRequest("Conflicting flags: ttl cannot be combined with acquire or release");
        }
        Command command;
        if (ttlMillis > 0) {
            command = new Command.KvSetExpiring(key, request.body(), flags, params.uint64("cas", Command.NO_CAS),
                    ttlMillis);
        } else if (params.has("acquire")) {
            command = new Command.KvLock(key, request.body(), flags, session(params, "acquire"));
        } else if (params.has("release")) {
            command = new Command.KvUnlock(key, request.body(), flags, session(params, "release"));
        } else {
            command = new Command.KvSetIfChanged(key, request.body(), flags, params.uint64("cas", Command.NO_CAS));
        }
        return replicator.submit(command).thenApply(KvRoutes::trueOrFalse);
    }

    /**
     * Beacon's {@code ?ttl=} (a Go duration such as {@code 30s}): the key expires that long after the write, as
     * an etcd key with a TTL does. Absent, empty or zero: the key is permanent (a write without it makes an
     * expiring key permanent again).
     */
    private static long ttl(QueryParams params) {
        String ttl = params.get("ttl");
        if (ttl == null || ttl.isEmpty()) {
            return 0;
        }
        try {
            Duration parsed = GoDuration.parse(ttl);
            if (parsed.isNegative()) {
                throw new IllegalArgumentException(ttl);
            }
            return parsed.toMillis();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ApiException.badRequest("Invalid ttl: " + ttl);
        }
    }

    private CompletionStage<ApiResponse> delete(ApiRequest request) {
        String key = request.tail();
        if (request.params().has("recurse") && request.params().has("cas")) {
            throw ApiException.badRequest("Conflicting flags: recurse, cas");
        }
        long cas = request.params().uint64("cas", Command.NO_CAS);
        boolean recurse = request.params().flag("recurse");
        if (!recurse) {
            requireKey(key);
        }
        Caller caller = request.caller();
        if (recurse) {
            caller.require(caller.permissions().keyWritePrefix(key), "key:write", key);
        } else {
            caller.require(caller.permissions().keyWrite(key), "key:write", key);
        }
        return replicator.submit(new Command.KvDelete(key, recurse, cas)).thenApply(KvRoutes::trueOrFalse);
    }

    private static ApiResponse trueOrFalse(Outcome outcome) {
        if (outcome.error() != null) {
            throw ApiException.badRequest(outcome.error());
        }
        return ApiResponse.json(outcome.success());
    }

    private static void requireKey(String key) {
        String problem = KvKeys.problem(key);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
    }

    private static String session(QueryParams params, String name) {
        String session = params.get(name);
        if (session == null || session.isBlank()) {
            throw ApiException.badRequest("Missing session id for ?" + name);
        }
        return session;
    }
}
