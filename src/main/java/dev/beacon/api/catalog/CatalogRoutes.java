package dev.beacon.api.catalog;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.api.filter.FilterExpression;
import dev.beacon.cluster.ClusterView;
import dev.beacon.api.coordinate.NearestFirst;
import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.CatalogView;
import dev.beacon.state.Command;
import dev.beacon.state.Node;
import dev.beacon.state.Outcome;
import dev.beacon.state.ServiceInstance;
import dev.beacon.state.Store;
import dev.beacon.state.Table;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Consul's {@code /v1/catalog}: register and deregister, and the node and service views, all blocking-capable.
 * Every view shows what the caller's token may read ({@link CatalogAcl}); registering and deregistering need what
 * Consul's ACLs ask ({@link CatalogWriteAcl}).
 */
@Component
class CatalogRoutes implements ApiRoutes {
    private final Replicator replicator;
    private final CatalogReads reads;
    private final CatalogRequests requests;
    private final CatalogWriteAcl writeAcl;
    private final Datacenters datacenters;
    private final NearestFirst near;

    CatalogRoutes(ClusterView cluster, Replicator replicator, CatalogReads reads, JsonMapper json, Store store,
                  Datacenters datacenters) {
        this.replicator = replicator;
        this.reads = reads;
        this.requests = new CatalogRequests(json, cluster.settings().datacenter());
        this.writeAcl = new CatalogWriteAcl(store);
        this.datacenters = datacenters;
        this.near = new NearestFirst(datacenters, cluster.settings().nodeName());
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.get("/v1/catalog/datacenters", Route.Resource.NONE, this::datacenters)
                .write("PUT", "/v1/catalog/register", Route.Resource.NODE, Route.MAX_BODY, this::register)
                .write("PUT", "/v1/catalog/deregister", Route.Resource.NODE, Route.MAX_BODY, this::deregister)
                .get("/v1/catalog/services", Route.Resource.SERVICE, this::services)
                .get("/v1/catalog/service/", Route.Resource.SERVICE, this::service)
                .get("/v1/catalog/nodes", Route.Resource.NODE, this::nodes)
                .get("/v1/catalog/node/", Route.Resource.NODE, this::node)
                .get("/v1/catalog/node-services/", Route.Resource.NODE, this::nodeServices);
    }

    private CompletionStage<ApiResponse> datacenters(ApiRequest request) {
        return CompletableFuture.completedFuture(ApiResponse.json(datacenters.byDistance()));
    }

    private CompletionStage<ApiResponse> register(ApiRequest request) {
        return submit(request, requests.register(request.body()));
    }

    private CompletionStage<ApiResponse> deregister(ApiRequest request) {
        return submit(request, requests.deregister(request.body()));
    }

    /** Service name to the union of its instances' tags, by name; indexed on the services table. */
    private CompletionStage<ApiResponse> services(ApiRequest request) {
        NodeMetaFilter nodeMeta = NodeMetaFilter.from(request.params());
        FilterExpression filter = ItemFilters.parse(request, ItemFilters.SERVICE_NODE);
        return reads.readServiceNames(request, view -> {
            Map<String, Set<String>> tags = new TreeMap<>();
            CatalogView selected = nodeMeta.apply(view);
            for (ServiceInstance s : selected.services()) {
                if (filter != null && !matches(filter, selected.node(s.node()), s)) {
                    continue;
                }
                tags.computeIfAbsent(s.service(), n -> new LinkedHashSet<>()).addAll(s.tags());
            }
            Map<String, List<String>> body = new LinkedHashMap<>();
            tags.forEach((name, t) -> body.put(name, List.copyOf(t)));
            return body;
        });
    }

    /** The instances of a service with their nodes; repeated {@code ?tag} keeps those with all the tags. */
    private CompletionStage<ApiResponse> service(ApiRequest request) {
        String service = CatalogReads.name(request, "service name");
        NodeMetaFilter nodeMeta = NodeMetaFilter.from(request.params());
        List<String> wantedTags = request.params().all("tag");
        FilterExpression filter = ItemFilters.parse(request, ItemFilters.SERVICE_NODE);
        return reads.read(request, null, service, EnumSet.of(Table.SERVICES, Table.NODES), view -> {
            CatalogView filtered = nodeMeta.apply(view);
            List<CatalogJson.CatalogServiceJson> rows = new ArrayList<>();
            for (ServiceInstance s : filtered.services()) {
                Node n = filtered.node(s.node());
                if (n != null && s.tags().containsAll(wantedTags)
                        && (filter == null || filter.matches(ItemFilters.serviceNode(n, s)))) {
                    rows.add(CatalogJson.CatalogServiceJson.of(n, s));
                }
            }
            return near.sort(request.params().get("near"), rows, CatalogJson.CatalogServiceJson::node);
        });
    }

    private CompletionStage<ApiResponse> nodes(ApiRequest request) {
        NodeMetaFilter nodeMeta = NodeMetaFilter.from(request.params());
        FilterExpression filter = ItemFilters.parse(request, ItemFilters.NODE);
        return reads.read(request, null, null, EnumSet.of(Table.NODES),
                view -> near.sort(request.params().get("near"), nodeMeta.apply(view).nodes().stream()
                        .filter(n -> filter == null || filter.matches(ItemFilters.node(n)))
                        .map(CatalogJson.NodeJson::of).toList(), CatalogJson.NodeJson::node));
    }

    /** Whether a service instance on a node (which a snapshot may not have: then it is left out) is selected. */
    private static boolean matches(FilterExpression filter, Node node, ServiceInstance s) {
        return node != null && filter.matches(ItemFilters.serviceNode(node, s));
    }

    /** The node's services that {@code filter} (if any) selects. */
    private static List<ServiceInstance> selected(CatalogView view, FilterExpression filter) {
        return filter == null ? view.services()
                : view.services().stream().filter(s -> filter.matches(ItemFilters.nodeService(s))).toList();
    }

    /** A node and its services by id; 404 for an unknown node. */
    private CompletionStage<ApiResponse> node(ApiRequest request) {
        String node = CatalogReads.name(request, "node name");
        FilterExpression filter = ItemFilters.parse(request, ItemFilters.NODE_SERVICE);
        return reads.read(request, node, null, EnumSet.of(Table.NODES, Table.SERVICES), view -> {
            if (view.nodes().isEmpty()) {
                // Consul answers an unknown node with 200 and null: its Go client then gives no node, no error.
                return NullNode.getInstance();
            }
            Map<String, CatalogJson.ServiceJson> services = new LinkedHashMap<>();
            selected(view, filter).forEach(s -> services.put(s.id(), CatalogJson.ServiceJson.of(s)));
            return new CatalogJson.NodeServicesMap(CatalogJson.NodeJson.of(view.nodes().get(0)), services);
        });
    }

    /** As {@link #node}, with the services as a list. */
    private CompletionStage<ApiResponse> nodeServices(ApiRequest request) {
        String node = CatalogReads.name(request, "node name");
        FilterExpression filter = ItemFilters.parse(request, ItemFilters.NODE_SERVICE);
        return reads.read(request, node, null, EnumSet.of(Table.NODES, Table.SERVICES), view -> {
            if (view.nodes().isEmpty()) {
                return new CatalogJson.NodeServicesList(null, null);
            }
            return new CatalogJson.NodeServicesList(CatalogJson.NodeJson.of(view.nodes().get(0)),
                    selected(view, filter).stream().map(CatalogJson.ServiceJson::of).toList());
        });
    }

    private CompletionStage<ApiResponse> submit(ApiRequest request, Command command) {
        writeAcl.check(command, request.caller());
        return replicator.submit(command).thenApply(CatalogRoutes::trueOrError);
    }

    private static ApiResponse trueOrError(Outcome outcome) {
        if (outcome.error() != null) {
            throw ApiException.badRequest(outcome.error());
        }
        return ApiResponse.json(outcome.success());
    }
}
