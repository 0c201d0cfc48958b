package dev.beacon.api.health;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.api.catalog.CatalogJson;
import dev.beacon.api.catalog.CatalogReads;
import dev.beacon.api.catalog.ItemFilters;
import dev.beacon.api.catalog.NodeMetaFilter;
import dev.beacon.api.coordinate.NearestFirst;
import dev.beacon.api.filter.FilterExpression;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Datacenters;
import dev.beacon.state.CatalogView;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;
import dev.beacon.state.Table;
import org.springframework.stereotype.Component;

/**
 * Consul's {@code /v1/health}: service instances with their checks (what discovery clients use), and checks by
 * service, node or state. Every route blocks on the tables its answer comes from. Checks of a service read the
 * service resource; checks of a node, and checks by state (which span nodes), read the node resource.
 */
@Component
class HealthRoutes implements ApiRoutes {
    private final CatalogReads reads;
    private final NearestFirst near;

    HealthRoutes(CatalogReads reads, Datacenters datacenters, ClusterView cluster) {
        this.reads = reads;
        this.near = new NearestFirst(datacenters, cluster.settings().nodeName());
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.get("/v1/health/service/", Route.Resource.SERVICE, this::service)
                .get("/v1/health/checks/", Route.Resource.SERVICE, this::checks)
                .get("/v1/health/node/", Route.Resource.NODE, this::node)
                .get("/v1/health/state/", Route.Resource.NODE, this::state);
    }

    /**
     * The instances of a service with their node's checks and their own. {@code ?passing} keeps only instances
     * whose every check passes (a warning does not); repeated {@code ?tag} keeps instances with all those tags.
     */
    private CompletionStage<ApiResponse> service(ApiRequest request) {
        String service = CatalogReads.name(request, "service name");
        boolean passing = request.params().flag("passing");
        List<String> tags = request.params().all("tag");
        FilterExpression filter = ItemFilters.parse(request, ItemFilters.HEALTH_SERVICE);
        NodeMetaFilter nodeMeta = NodeMetaFilter.from(request.params());
        return reads.read(request, null, service, EnumSet.of(Table.SERVICES, Table.CHECKS, Table.NODES), slice -> {
            CatalogView view = nodeMeta.apply(slice);
            Map<String, List<HealthCheck>> checksByInstance = view.checksByInstance();
            Map<String, List<String>> tagsByInstance = view.tagsByInstance();
            Map<String, Node> nodes = new HashMap<>();
            view.nodes().forEach(n -> nodes.put(n.name(), n));
            List<CatalogJson.ServiceEntryJson> entries = new ArrayList<>();
            for (ServiceInstance s : view.services()) {
                Node node = nodes.get(s.node());
                List<HealthCheck> checks = checksByInstance.get(CatalogView.instanceKey(s.node(), s.id()));
                if (node == null || !s.tags().containsAll(tags)
                        || (passing && checks.stream().anyMatch(c -> c.status() != CheckStatus.PASSING))
                        || (filter != null && !filter.matches(ItemFilters.healthService(node, s, checks)))) {
                    continue;
                }
                entries.add(new CatalogJson.ServiceEntryJson(CatalogJson.NodeJson.of(node),
                        CatalogJson.ServiceJson.of(s), checks.stream().map(c -> CatalogJson.CheckJson.of(c, tagsOf(tagsByInstance, c))).toList()));
            }
            return near.sort(request.params().get("near"), entries, e -> e.node().node());
        });
    }

    /** The checks bound to instances of a service. */
    private CompletionStage<ApiResponse> checks(ApiRequest request) {
        String service = CatalogReads.name(request, "service name");
        FilterExpression filter = ItemFilters.parse(request, ItemFilters.CHECK);
        NodeMetaFilter nodeMeta = NodeMetaFilter.from(request.params());
        return reads.read(request, null, service, EnumSet.of(Table.CHECKS), slice -> {
            CatalogView view = nodeMeta.apply(slice);
            return checksJson(view, view.checks().stream().filter(c -> !c.serviceId().isEmpty()).toList(), filter);
        });
    }

    /** Every check on a node, its own and its services'. */
    private CompletionStage<ApiResponse> node(ApiRequest request) {
        String node = CatalogReads.name(request, "node name");
        FilterExpression filter = ItemFilters.parse(request, ItemFilters.CHECK);
        return reads.read(request, node, null, EnumSet.of(Table.CHECKS),
                view -> checksJson(view, view.checks(), filter));
    }

    /** Every check in a state: passing, warning, critical, or any. */
    private CompletionStage<ApiResponse> state(ApiRequest request) {
        String state = CatalogReads.name(request, "check state");
        CheckStatus wanted = switch (state.toLowerCase(Locale.ROOT)) {
            case "any" -> null;
            case "passing" -> CheckStatus.PASSING;
            case "warning" -> CheckStatus.WARNING;
            case "critical" -> CheckStatus.CRITICAL;
            default -> throw ApiException.badRequest("Invalid check state: " + state);
        };
        FilterExpression filter = ItemFilters.parse(request, ItemFilters.CHECK);
        NodeMetaFilter nodeMeta = NodeMetaFilter.from(request.params());
        return reads.read(request, null, null, EnumSet.of(Table.CHECKS), slice -> {
            CatalogView view = nodeMeta.apply(slice);
            return checksJson(view, view.checks().stream().filter(c -> wanted == null || c.status() == wanted)
                    .toList(), filter);
        });
    }

    /** The checks {@code filter} (if any) selects, each with its service's tags. */
    private static List<CatalogJson.CheckJson> checksJson(CatalogView view, List<HealthCheck> checks,
                                                          FilterExpression filter) {
        Map<String, List<String>> tags = view.tagsByInstance();
        List<CatalogJson.CheckJson> json = new ArrayList<>();
        for (HealthCheck c : checks) {
            List<String> serviceTags = tagsOf(tags, c);
            if (filter == null || filter.matches(ItemFilters.check(c, serviceTags))) {
                json.add(CatalogJson.CheckJson.of(c, serviceTags));
            }
        }
        return json;
    }

    private static List<String> tagsOf(Map<String, List<String>> tagsByInstance, HealthCheck check) {
        return check.serviceId().isEmpty() ? List.of()
                : tagsByInstance.getOrDefault(CatalogView.instanceKey(check.node(), check.serviceId()), List.of());
    }
}
