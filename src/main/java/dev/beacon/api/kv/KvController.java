package dev.beacon.api.kv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.beacon.api.ApiException;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.ConsulHeaders;
import dev.beacon.api.QueryParams;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.RequestBodies;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.Indexed;
import dev.beacon.state.KvEntry;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/** Consul's {@code /v1/kv/<key>}: get (one key, a prefix, or its keys), put (with cas or a lock), delete. */
@RestController
@RequestMapping("/v1/kv")
class KvController {
    private static final String PATH = "/v1/kv/";
    private static final Set<String> GET_PARAMS = Set.of("raw", "recurse", "keys", "separator");
    private static final Set<String> PUT_PARAMS = Set.of("flags", "cas", "acquire", "release");
    private static final Set<String> DELETE_PARAMS = Set.of("recurse", "cas");
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    private final Replicator replicator;
    private final BlockingQueries queries;
    private final ConsulHeaders headers;

    KvController(Replicator replicator, BlockingQueries queries, ConsulHeaders headers) {
        this.replicator = replicator;
        this.queries = queries;
        this.headers = headers;
    }

    @GetMapping({"", "/**"})
    CompletableFuture<ResponseEntity<byte[]>> get(HttpServletRequest request) {
        QueryParams params = QueryParams.of(request, GET_PARAMS);
        ReadOptions options = ReadOptions.from(params);
        String key = key(request);
        if (params.flag("keys")) {
            String separator = params.get("separator");
            return queries.read(options, new Query.KvList(key))
                    .thenApply(r -> listOrNotFound(r, KvJson.strings(KvKeys.keysOf(r.value(), key, separator))));
        }
        if (params.flag("recurse")) {
            return queries.read(options, new Query.KvList(key))
                    .thenApply(r -> listOrNotFound(r, KvJson.entries(r.value())));
        }
        requireKey(key);
        boolean raw = params.flag("raw");
        return queries.read(options, new Query.KvGet(key))
                .thenApply(r -> raw ? rawValue(r) : listOrNotFound(
                        new Indexed<>(r.value() == null ? List.of() : List.of(r.value()), r.index()),
                        r.value() == null ? null : KvJson.entries(List.of(r.value()))));
    }

    @PutMapping({"", "/**"})
    CompletableFuture<ResponseEntity<byte[]>> put(HttpServletRequest request) throws IOException {
        QueryParams params = QueryParams.of(request, PUT_PARAMS);
        String key = key(request);
        requireKey(key);
        long flags = params.uint64("flags", 0);
        int conflicting = (params.has("cas") ? 1 : 0) + (params.has("acquire") ? 1 : 0)
                + (params.has("release") ? 1 : 0);
        if (conflicting > 1) {
            throw ApiException.badRequest("Conflicting flags: cas, acquire, release");
        }
        byte[] value = RequestBodies.read(request, KvKeys.MAX_VALUE_BYTES,
                "Value exceeds " + KvKeys.MAX_VALUE_BYTES + " byte limit");
        Command command;
        if (params.has("acquire")) {
            command = new Command.KvLock(key, value, flags, session(params, "acquire"));
        } else if (params.has("release")) {
            command = new Command.KvUnlock(key, value, flags, session(params, "release"));
        } else {
            command = new Command.KvSet(key, value, flags, params.uint64("cas", Command.NO_CAS));
        }
        return replicator.submit(command).thenApply(KvController::trueOrFalse);
    }

    @DeleteMapping({"", "/**"})
    CompletableFuture<ResponseEntity<byte[]>> delete(HttpServletRequest request) {
        QueryParams params = QueryParams.of(request, DELETE_PARAMS);
        String key = key(request);
        long cas = params.uint64("cas", Command.NO_CAS);
        // As in Consul, ?cas turns a recursive delete back into a single-key check-and-set delete.
        boolean recurse = params.flag("recurse") && cas == Command.NO_CAS;
        if (!recurse) {
            requireKey(key);
        }
        return replicator.submit(new Command.KvDelete(key, recurse, cas)).thenApply(KvController::trueOrFalse);
    }

    private ResponseEntity<byte[]> listOrNotFound(Indexed<? extends List<?>> result, byte[] json) {
        HttpHeaders h = headers.forIndex(result.index());
        if (result.value().isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).headers(h).build();
        }
        return ResponseEntity.ok().headers(h).contentType(MediaType.APPLICATION_JSON).body(json);
    }

    private ResponseEntity<byte[]> rawValue(Indexed<KvEntry> result) {
        HttpHeaders h = headers.forIndex(result.index());
        if (result.value() == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).headers(h).build();
        }
        h.set("X-Content-Type-Options", "nosniff");
        byte[] value = result.value().value();
        return ResponseEntity.ok().headers(h).contentType(MediaType.TEXT_PLAIN)
                .body(value == null ? new byte[0] : value);
    }

    private static ResponseEntity<byte[]> trueOrFalse(Outcome outcome) {
        if (outcome.error() != null) {
            throw ApiException.badRequest(outcome.error());
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(outcome.success() ? TRUE : FALSE);
    }

    /** The key as the client wrote it: the raw path after /v1/kv/, percent-decoded (commas and all kept). */
    static String key(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String raw = uri.length() <= PATH.length() ? "" : uri.substring(PATH.length());
        return UriUtils.decode(raw, StandardCharsets.UTF_8);
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
