package dev.beacon.api.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import dev.beacon.api.ApiRenderer;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.Caller;
import dev.beacon.api.DatacenterRouting;
import dev.beacon.api.QueryParams;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.Route;
import dev.beacon.api.catalog.CatalogAcl;
import dev.beacon.api.catalog.CatalogJson;
import dev.beacon.api.BlockingQueries;
import dev.beacon.cluster.Datacenters;
import dev.beacon.state.CatalogView;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Indexed;
import dev.beacon.state.Node;
import dev.beacon.state.PreparedQuery;
import dev.beacon.state.Query;
import dev.beacon.state.ServiceInstance;
import dev.beacon.state.Table;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a prepared query: here first, then, when no instance here is healthy, in the failover datacenters in order
 * (the {@code NearestN} nearest, then the listed ones; unknown ones are skipped), until one has an instance. A
 * remote datacenter runs the query as sent (it does not store it) through its {@code /v1/internal/query/execute}
 * route, with the query's token or else the caller's. The answer is Consul's: the instances, the datacenter that
 * gave them, and how many other datacenters were tried ({@code Failovers}).
 */
final class QueryExecutor {
    static final String REMOTE_PATH = "/v1/internal/query/execute";
    private static final String AGENT = "_agent";

    private final BlockingQueries queries;
    private final Datacenters datacenters;
    private final DatacenterRouting routing;
    private final JsonMapper json;
    private final String agentNode;

    QueryExecutor(BlockingQueries queries, Datacenters datacenters, DatacenterRouting routing, JsonMapper json,
                  String agentNode) {
        this.queries = queries;
        this.datacenters = datacenters;
        this.routing = routing;
        this.json = json;
        this.agentNode = agentNode;
    }

    /**
     * The answer of a query (its template already filled in), failing over as it says.
     *
     * @param remoteRoute the route remote datacenters run it through
     * @param token       the token the failover requests carry
     */
    CompletionStage<Indexed<JsonNode>> execute(PreparedQuery query, ReadOptions read, Caller caller, int limit,
                                               Route remoteRoute, String token) {
        return here(query, read, caller, limit).thenCompose(local -> {
            List<String> targets = failoverTargets(query.service());
            if (!local.value().nodes().isEmpty() || targets.isEmpty()) {
                return CompletableFuture.completedFuture(new Indexed<>(json.valueToTree(local.value()),
                        local.index()));
            }
            return failOver(query, targets, 0, limit, remoteRoute, token, local);
        });
    }

    /** The answer of a query run here only, as a remote datacenter runs one sent to it. */
    CompletionStage<Indexed<PreparedQueryJson.Executed>> here(PreparedQuery query, ReadOptions read,
                                                              Caller caller, int limit) {
        PreparedQuery.ServiceQuery service = query.service();
        ReadOptions now = new ReadOptions(read.consistency(), 0, read.maxWait());
        return queries.read(now, new Query.CatalogSlice(null, service.service(),
                EnumSet.of(Table.SERVICES, Table.CHECKS, Table.NODES))).thenApply(result -> {
                    CatalogView view = CatalogAcl.filter(result.value(), caller).view();
                    List<CatalogJson.ServiceEntryJson> entries = select(service, view);
                    if (limit > 0 && entries.size() > limit) {
                        entries = entries.subList(0, limit);
                    }
                    return new Indexed<>(new PreparedQueryJson.Executed(service.service(), entries,
                            new PreparedQueryJson.Dns(query.dnsTtl()), datacenters.local(), 0), result.index());
                });
    }

    private CompletionStage<Indexed<JsonNode>> failOver(PreparedQuery query, List<String> targets, int next,
                                                        int limit, Route remoteRoute, String token,
                                                        Indexed<PreparedQueryJson.Executed> local) {
        if (next == targets.size()) {
            ObjectNode none = json.valueToTree(local.value());
            none.put("Failovers", targets.size());
            return CompletableFuture.completedFuture(new Indexed<>(none, local.index()));
        }
        String dc = targets.get(next);
        return remote(query, dc, limit, remoteRoute, token)
                .handle((answer, failure) -> failure == null ? answer : null)
                .thenCompose(answer -> {
                    if (answer != null && answer.value().path("Nodes").size() > 0) {
                        ((ObjectNode) answer.value()).put("Failovers", next + 1);
                        return CompletableFuture.completedFuture(answer);
                    }
                    return failOver(query, targets, next + 1, limit, remoteRoute, token, local);
                });
    }

    /** A remote datacenter's answer with its index; fails when it cannot be reached or refuses. */
    private CompletionStage<Indexed<JsonNode>> remote(PreparedQuery query, String dc, int limit, Route route,
                                                      String token) {
        String queryString = "dc=" + dc + (limit > 0 ? "&limit=" + limit : "");
        QueryParams params = QueryParams.parse(queryString);
        byte[] body = json.writeValueAsBytes(PreparedQueryJson.Query.of(query, true));
        ApiRequest request = new ApiRequest(route, REMOTE_PATH, queryString, "", params, dc, token,
                ReadOptions.from(params), null, body, Caller.ANYONE);
        CompletionStage<ApiResponse> sent;
        try {
            sent = routing.forward(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sent.thenApply(response -> {
            if (response.status() != 200) {
                throw new IllegalStateException("datacenter " + dc + " answered " + response.status());
            }
            String index = response.relayedHeaders() == null ? null
                    : response.relayedHeaders().get(ApiRenderer.INDEX);
            return new Indexed<>(json.readTree(response.bytes()), index == null ? 1 : Long.parseLong(index));
        });
    }

    /** The datacenters to fail over to, in order: the nearest N others, then the listed ones not among them. */
    private List<String> failoverTargets(PreparedQuery.ServiceQuery service) {
        List<String> known = datacenters.byDistance();
        Set<String> targets = new LinkedHashSet<>();
        known.stream().skip(1).limit(service.nearestN()).forEach(targets::add);
        service.datacenters().stream().filter(known::contains).forEach(targets::add);
        targets.remove(datacenters.local());
        return List.copyOf(targets);
    }

    /**
     * The instances a query selects, shuffled (so that load spreads, as Consul's are), those on the {@code Near}
     * node first: no critical check (the ignored ones aside), no warning either with {@code OnlyPassing}, every tag
     * asked for and none of the {@code !}-tags, the node and service metadata asked for.
     */
    private List<CatalogJson.ServiceEntryJson> select(PreparedQuery.ServiceQuery query, CatalogView view) {
        Map<String, Node> nodes = new HashMap<>();
        view.nodes().forEach(n -> nodes.put(n.name(), n));
        Map<String, List<HealthCheck>> checks = view.checksByInstance();
        Map<String, List<String>> tagsByInstance = view.tagsByInstance();
        Set<String> ignored = Set.copyOf(query.ignoreCheckIds());
        List<CatalogJson.ServiceEntryJson> selected = new ArrayList<>();
        List<CatalogJson.ServiceEntryJson> near = new ArrayList<>();
        String nearNode = query.near().equals(AGENT) ? agentNode : query.near();
        for (ServiceInstance s : view.services()) {
            Node node = nodes.get(s.node());
            List<HealthCheck> own = checks.getOrDefault(CatalogView.instanceKey(s.node(), s.id()), List.of());
            if (node == null || !healthy(own, ignored, query.onlyPassing()) || !tagged(s.tags(), query.tags())
                    || !node.meta().entrySet().containsAll(query.nodeMeta().entrySet())
                    || !s.meta().entrySet().containsAll(query.serviceMeta().entrySet())) {
                continue;
            }
            CatalogJson.ServiceEntryJson entry = new CatalogJson.ServiceEntryJson(CatalogJson.NodeJson.of(node),
                    CatalogJson.ServiceJson.of(s), own.stream().map(c -> CatalogJson.CheckJson.of(c,
                    c.serviceId().isEmpty() ? List.of() : tagsByInstance.getOrDefault(
                            CatalogView.instanceKey(c.node(), c.serviceId()), List.of()))).toList());
            (node.name().equals(nearNode) ? near : selected).add(entry);
        }
        Collections.shuffle(selected, ThreadLocalRandom.current());
        near.addAll(selected);
        return near;
    }

    private static boolean healthy(List<HealthCheck> checks, Set<String> ignored, boolean onlyPassing) {
        for (HealthCheck c : checks) {
            if (ignored.contains(c.checkId())) {
                continue;
            }
            if (c.status() == CheckStatus.CRITICAL || (onlyPassing && c.status() == CheckStatus.WARNING)) {
                return false;
            }
        }
        return true;
    }

    /** Tags match case-insensitively, as Consul's prepared queries match them. */
    private static boolean tagged(List<String> has, List<String> wanted) {
        Set<String> lower = has.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (String tag : wanted) {
            String t = tag.toLowerCase(Locale.ROOT);
            boolean negated = t.startsWith("!");
            if (negated == lower.contains(negated ? t.substring(1) : t)) {
                return false;
            }
        }
        return true;
    }
}
