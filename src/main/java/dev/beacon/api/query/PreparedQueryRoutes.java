package dev.beacon.api.query;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.beacon.acl.Permissions;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.Caller;
import dev.beacon.api.DatacenterRouting;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.api.acl.AclRoutes;
import dev.beacon.api.acl.Callers;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.Replicator;
import dev.beacon.config.BeaconProperties;
import dev.beacon.state.Command;
import dev.beacon.state.Indexed;
import dev.beacon.state.PreparedQuery;
import dev.beacon.state.Query;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consul's {@code /v1/query}: prepared queries created, listed, read, updated and deleted, and run by id or name
 * ({@code /execute}, failing over to other datacenters) or explained ({@code /explain}, a template filled in).
 * A named query needs {@code query:write} on its name to change and {@code query:read} to read or run; a nameless
 * one is reached through its id alone, as Consul leaves it outside ACLs. Its token shows only to callers with
 * {@code acl:write}, and it runs with that token when it has one; what it finds is filtered by the service and node
 * rules of the token it runs with. Another datacenter's failover request needs {@code service:read} on the service.
 */
@Component
class PreparedQueryRoutes implements ApiRoutes, QueryRunner {
    private static final String EXECUTE = "/execute";
    private static final String EXPLAIN = "/explain";

    private final Replicator replicator;
    private final BlockingQueries queries;
    private final PreparedQueryRequests requests;
    private final QueryExecutor executor;
    private final Callers callers;
    private final boolean aclEnabled;
    private final Route remote;

    PreparedQueryRoutes(Replicator replicator, BlockingQueries queries, JsonMapper json, Datacenters datacenters,
                        DatacenterRouting routing, ClusterView cluster, Callers callers, BeaconProperties properties) {
        this.replicator = replicator;
        this.queries = queries;
        this.requests = new PreparedQueryRequests(json);
        this.executor = new QueryExecutor(queries, datacenters, routing, json, cluster.settings().nodeName());
        this.callers = callers;
        this.aclEnabled = properties.acl().enabled();
        this.remote = new Route("POST", QueryExecutor.REMOTE_PATH, Route.Resource.SERVICE, Route.Access.READ,
                Route.MAX_BODY, this::executeSent);
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.write("POST", "/v1/query", Route.Resource.QUERY, this::create)
                .get("/v1/query", Route.Resource.QUERY, this::list)
                .get("/v1/query/", Route.Resource.QUERY, this::read)
                .write("PUT", "/v1/query/", Route.Resource.QUERY, this::update)
                .write("DELETE", "/v1/query/", Route.Resource.QUERY, 0, this::delete)
                .add(remote);
    }

    private CompletionStage<ApiResponse> create(ApiRequest request) {
        PreparedQuery query = requests.parse(UUID.randomUUID().toString(), request.body());
        mayWrite(request.caller(), query.name());
        return submit(new Command.PreparedQuerySet(query, true))
                .thenApply(done -> ApiResponse.json(new PreparedQueryJson.Created(query.id())));
    }

    private CompletionStage<ApiResponse> update(ApiRequest request) {
        String id = request.name("Missing query ID");
        PreparedQuery query = requests.parse(id, request.body());
        return all(request, ReadOptions.Consistency.DEFAULT).thenCompose(read -> {
            PreparedQuery existing = byId(read.value(), id);
            if (existing != null) {
                mayWrite(request.caller(), existing.name());
            }
            mayWrite(request.caller(), query.name());
            return submit(new Command.PreparedQuerySet(query, false)).thenApply(done -> ApiResponse.empty());
        });
    }

    private CompletionStage<ApiResponse> delete(ApiRequest request) {
        String id = request.name("Missing query ID");
        return all(request, ReadOptions.Consistency.DEFAULT).thenCompose(read -> {
            PreparedQuery existing = byId(read.value(), id);
            if (existing == null) {
                // Consul's message for an update or delete of a query that does not exist.
                throw ApiException.badRequest("Cannot modify non-existent prepared query: '" + id + "'");
            }
            mayWrite(request.caller(), existing.name());
            return submit(new Command.PreparedQueryDelete(id)).thenApply(done -> ApiResponse.empty());
        });
    }

    /** Every query the caller may read. */
    private CompletionStage<ApiResponse> list(ApiRequest request) {
        Caller caller = request.caller();
        return queries.read(request.read(), new Query.PreparedQueries()).thenApply(read -> {
            Caller.Filtered<PreparedQuery> visible = caller.filter(read.value(),
                    q -> !q.name().isEmpty() && caller.permissions().queryRead(q.name()));
            return ApiResponse.read(visible.items().stream().map(q -> json(q, caller)).toList(), read.index())
                    .filteredByAcls(visible.dropped());
        });
    }

    /** {@code <id>}, {@code <id or name>/execute} or {@code <id or name>/explain}. */
    private CompletionStage<ApiResponse> read(ApiRequest request) {
        String tail = request.name("Missing query ID");
        if (tail.endsWith(EXECUTE)) {
            return execute(request, tail.substring(0, tail.length() - EXECUTE.length()));
        }
        if (tail.endsWith(EXPLAIN)) {
            return explain(request, tail.substring(0, tail.length() - EXPLAIN.length()));
        }
        return queries.read(request.read(), new Query.PreparedQueries()).thenApply(read -> {
            PreparedQuery query = byId(read.value(), tail);
            if (query == null) {
                throw ApiException.notFound("Query not found");
            }
            mayRead(request.caller(), query);
            return ApiResponse.read(List.of(json(query, request.caller())), read.index());
        });
    }

    private CompletionStage<ApiResponse> explain(ApiRequest request, String idOrName) {
        return resolve(request, idOrName).thenApply(read -> ApiResponse.read(
                new PreparedQueryJson.Explained(json(read.value(), request.caller())), read.index()));
    }

    private CompletionStage<ApiResponse> execute(ApiRequest request, String idOrName) {
        int limit = (int) Math.min(Integer.MAX_VALUE, request.params().uint64("limit", 0));
        String near = request.params().get("near");
        return resolve(request, idOrName).thenCompose(read -> {
            PreparedQuery query = near == null || near.isEmpty() ? read.value() : withNear(read.value(), near);
            return run(query, request.read(), request.caller(), request.token(), limit)
                    .thenApply(answer -> ApiResponse.read(answer.value(), answer.index()));
        });
    }

    @Override
    public CompletionStage<Indexed<JsonNode>> run(String nameOrId, Caller caller, String token) {
        ReadOptions local = new ReadOptions(ReadOptions.Consistency.STALE, 0, Duration.ZERO);
        return queries.read(local, new Query.PreparedQueries()).thenCompose(read -> {
            PreparedQuery query = QueryTemplates.resolve(read.value(), nameOrId);
            if (query == null || (!query.name().isEmpty() && !caller.permissions().queryRead(query.name()))) {
                return CompletableFuture.completedFuture(null);
            }
            return run(query, local, caller, token, 0);
        });
    }

    /** Runs a resolved query as its own token when it has one (and ACLs are on), else as the caller. */
    private CompletionStage<Indexed<JsonNode>> run(PreparedQuery query, ReadOptions read, Caller caller,
                                                   String callerToken, int limit) {
        Caller runAs = caller;
        if (aclEnabled && !query.token().isEmpty()) {
            runAs = callers.of(query.token());
            if (runAs == null) {
                throw ApiException.forbidden(AclRoutes.NOT_FOUND);
            }
        }
        String token = query.token().isEmpty() ? callerToken : query.token();
        return executor.execute(query, read, runAs, limit, remote, token);
    }

    /** A query another datacenter sent to run here, without failing over further. */
    private CompletionStage<ApiResponse> executeSent(ApiRequest request) {
        PreparedQuery query = requests.parse("", request.body());
        String service = query.service().service();
        request.caller().require(request.caller().permissions().serviceRead(service), "service:read", service);
        int limit = (int) Math.min(Integer.MAX_VALUE, request.params().uint64("limit", 0));
        return executor.here(query, request.read(), request.caller(), limit)
                .thenApply(answer -> ApiResponse.read(answer.value(), answer.index()));
    }

    /** The query an id or name runs, filled in, once the caller may read it; 404 when there is none. */
    private CompletionStage<Indexed<PreparedQuery>> resolve(ApiRequest request, String idOrName) {
        return queries.read(request.read(), new Query.PreparedQueries()).thenApply(read -> {
            PreparedQuery query = QueryTemplates.resolve(read.value(), idOrName);
            if (query == null) {
                throw ApiException.notFound("Query not found");
            }
            mayRead(request.caller(), query);
            return new Indexed<>(query, read.index());
        });
    }

    private CompletionStage<Indexed<List<PreparedQuery>>> all(ApiRequest request,
                                                              ReadOptions.Consistency consistency) {
        return queries.read(new ReadOptions(consistency, 0, request.read().maxWait()), new Query.PreparedQueries());
    }

    private CompletionStage<Void> submit(Command command) {
        return replicator.submit(command).thenAccept(outcome -> {
            if (outcome.error() != null) {
                throw ApiException.badRequest(outcome.error());
            }
        });
    }

    private static PreparedQuery byId(List<PreparedQuery> all, String id) {
        return all.stream().filter(q -> q.id().equals(id)).findFirst().orElse(null);
    }

    private static PreparedQuery withNear(PreparedQuery q, String near) {
        PreparedQuery.ServiceQuery s = q.service();
        return new PreparedQuery(q.id(), q.name(), q.session(), q.token(), new PreparedQuery.ServiceQuery(
                s.service(), s.nearestN(), s.datacenters(), s.onlyPassing(), s.ignoreCheckIds(), near, s.tags(),
                s.nodeMeta(), s.serviceMeta()), q.dnsTtl(), q.template(), q.createIndex(), q.modifyIndex());
    }

    private static void mayWrite(Caller caller, String name) {
        if (!name.isEmpty()) {
            caller.require(caller.permissions().queryWrite(name), "query:write", name);
        }
    }

    private static void mayRead(Caller caller, PreparedQuery query) {
        if (!query.name().isEmpty()) {
            caller.require(caller.permissions().queryRead(query.name()), "query:read", query.name());
        }
    }

    private static PreparedQueryJson.Query json(PreparedQuery query, Caller caller) {
        Permissions may = caller.permissions();
        return PreparedQueryJson.Query.of(query, may.aclWrite());
    }
}
