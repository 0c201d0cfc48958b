package dev.beacon.api.session;

import java.util.UUID;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.Caller;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.Node;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import dev.beacon.state.Session;
import dev.beacon.state.Store;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consul's {@code /v1/session}: create, destroy and renew sessions, and read them (blocking on the sessions
 * table). Every change goes through Raft; a session's id is chosen here, before it is submitted, so the state
 * machine stays deterministic.
 */
@Component
class SessionRoutes implements ApiRoutes {
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final Replicator replicator;
    private final BlockingQueries queries;
    private final SessionRequests requests;
    private final Store store;

    SessionRoutes(Replicator replicator, BlockingQueries queries, JsonMapper json, Node agentNode, Store store) {
        this.replicator = replicator;
        this.queries = queries;
        this.requests = new SessionRequests(json, agentNode.name());
        this.store = store;
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.write("PUT", "/v1/session/create", Route.Resource.SESSION, MAX_BODY_BYTES, this::create)
                .write("PUT", "/v1/session/destroy/", Route.Resource.SESSION, 0, this::destroy)
                .write("PUT", "/v1/session/renew/", Route.Resource.SESSION, 0, this::renew)
                .get("/v1/session/info/", Route.Resource.SESSION, this::info)
                .get("/v1/session/node/", Route.Resource.SESSION, this::node)
                .get("/v1/session/list", Route.Resource.SESSION, this::list);
    }

    /** Consul's answer to a create: the new session's id. */
    record CreatedJson(@JsonProperty("ID") String id) {
    }

    private CompletionStage<ApiResponse> create(ApiRequest request) {
        String id = UUID.randomUUID().toString();
        Session session = requests.create(id, request.body());
        requireWrite(request.caller(), session.node());
        return replicator.submit(new Command.CreateSession(session))
                .thenApply(outcome -> {
                    requireSuccess(outcome);
                    return ApiResponse.json(new CreatedJson(id));
                });
    }

    private CompletionStage<ApiResponse> destroy(ApiRequest request) {
        String id = request.name("Missing session");
        requireWriteOfExisting(request.caller(), id);
        return replicator.submit(new Command.DestroySession(id))
                .thenApply(outcome -> ApiResponse.json(true));
    }

    /** Restarts the TTL; answers with the session, as Consul does, or 404 for one that no longer exists. */
    private CompletionStage<ApiResponse> renew(ApiRequest request) {
        String id = request.name("Missing session");
        requireWriteOfExisting(request.caller(), id);
        return replicator.submit(new Command.RenewSession(id)).thenCompose(outcome -> {
            if (outcome.error() != null) {
                throw new ApiException(HttpStatus.NOT_FOUND, outcome.error());
            }
            return sessions(request, new Query.Sessions(null, id));
        });
    }

    private CompletionStage<ApiResponse> info(ApiRequest request) {
        return sessions(request, new Query.Sessions(null, request.name("Missing session")));
    }

    private CompletionStage<ApiResponse> node(ApiRequest request) {
        return sessions(request, new Query.Sessions(request.name("Missing node name"), null));
    }

    private CompletionStage<ApiResponse> list(ApiRequest request) {
        return sessions(request, new Query.Sessions(null, null));
    }

    private CompletionStage<ApiResponse> sessions(ApiRequest request, Query.Sessions query) {
        Caller caller = request.caller();
        return queries.read(request.read(), query).thenApply(result -> {
            Caller.Filtered<Session> visible = caller.filter(result.value(),
                    s -> caller.permissions().sessionRead(s.node()));
            return ApiResponse.read(visible.items().stream().map(SessionJson::of).toList(), result.index())
                    .filteredByAcls(visible.dropped());
        });
    }

    /** Consul's session rules name the node a session is on. */
    private static void requireWrite(Caller caller, String node) {
        caller.require(caller.permissions().sessionWrite(node), "session:write", node);
    }

    private void requireWriteOfExisting(Caller caller, String id) {
        Session existing = store.session(id);
        if (existing != null) {
            requireWrite(caller, existing.node());
        }
    }

    /** The session id or node name the path ends with; a path without one names nothing, so it is not found. */
    private static void requireSuccess(Outcome outcome) {
        if (!outcome.success()) {
            throw ApiException.badRequest(outcome.error() == null ? "session not created" : outcome.error());
        }
    }
}
