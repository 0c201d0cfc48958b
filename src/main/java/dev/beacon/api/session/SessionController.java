package dev.beacon.api.session;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.beacon.api.ApiException;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.ConsulHeaders;
import dev.beacon.api.QueryParams;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.RequestBodies;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.Node;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consul's {@code /v1/session}: create, destroy and renew sessions, and read them (blocking on the sessions
 * table). Every change goes through Raft; a session's id is chosen here, before it is submitted, so the state
 * machine stays deterministic.
 */
@RestController
@RequestMapping("/v1/session")
class SessionController {
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final Replicator replicator;
    private final BlockingQueries queries;
    private final ConsulHeaders headers;
    private final SessionRequests requests;

    SessionController(Replicator replicator, BlockingQueries queries, ConsulHeaders headers, JsonMapper json,
                      Node agentNode) {
        this.replicator = replicator;
        this.queries = queries;
        this.headers = headers;
        this.requests = new SessionRequests(json, agentNode.name());
    }

    @PutMapping("/create")
    CompletableFuture<Map<String, String>> create(HttpServletRequest request) throws IOException {
        QueryParams.of(request, Set.of());
        byte[] body = RequestBodies.read(request, MAX_BODY_BYTES, "Request body too large");
        String id = UUID.randomUUID().toString();
        return replicator.submit(new Command.CreateSession(requests.create(id, body)))
                .thenApply(outcome -> {
                    requireSuccess(outcome);
                    return Map.of("ID", id);
                });
    }

    @PutMapping("/destroy/{id}")
    CompletableFuture<ResponseEntity<String>> destroy(@PathVariable String id, HttpServletRequest request) {
        QueryParams.of(request, Set.of());
        return replicator.submit(new Command.DestroySession(id)).thenApply(outcome ->
                ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body("true"));
    }

    /** Restarts the TTL; answers with the session, as Consul does, or 404 for one that no longer exists. */
    @PutMapping("/renew/{id}")
    CompletableFuture<ResponseEntity<Object>> renew(@PathVariable String id, HttpServletRequest request) {
        QueryParams params = QueryParams.of(request, Set.of());
        return replicator.submit(new Command.RenewSession(id)).thenCompose(outcome -> {
            if (outcome.error() != null) {
                throw new ApiException(HttpStatus.NOT_FOUND, outcome.error());
            }
            return sessions(params, new Query.Sessions(null, id));
        });
    }

    @GetMapping("/info/{id}")
    CompletableFuture<ResponseEntity<Object>> info(@PathVariable String id, HttpServletRequest request) {
        return sessions(QueryParams.of(request, Set.of()), new Query.Sessions(null, id));
    }

    @GetMapping("/node/{node}")
    CompletableFuture<ResponseEntity<Object>> node(@PathVariable String node, HttpServletRequest request) {
        return sessions(QueryParams.of(request, Set.of()), new Query.Sessions(node, null));
    }

    @GetMapping("/list")
    CompletableFuture<ResponseEntity<Object>> list(HttpServletRequest request) {
        return sessions(QueryParams.of(request, Set.of()), new Query.Sessions(null, null));
    }

    private CompletableFuture<ResponseEntity<Object>> sessions(QueryParams params, Query.Sessions query) {
        return queries.read(ReadOptions.from(params), query).thenApply(result -> {
            List<SessionJson> body = result.value().stream().map(SessionJson::of).toList();
            return ResponseEntity.ok().headers(headers.forIndex(result.index()))
                    .contentType(MediaType.APPLICATION_JSON).body(body);
        });
    }

    private static void requireSuccess(Outcome outcome) {
        if (!outcome.success()) {
            throw ApiException.badRequest(outcome.error() == null ? "session not created" : outcome.error());
        }
    }
}
