package dev.beacon.api.health;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.ApiException;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.ConsulHeaders;
import dev.beacon.api.QueryParams;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.catalog.CatalogJson;
import dev.beacon.api.catalog.CatalogReads;
import dev.beacon.state.CatalogView;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;
import dev.beacon.state.Table;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Consul's {@code /v1/health}: service instances with their checks (what discovery clients use), and checks by
 * service, node or state. Every endpoint blocks on the tables its answer comes from.
 */
@RestController
@RequestMapping("/v1/health")
class HealthController {
    private final CatalogReads reads;

    HealthController(BlockingQueries queries, ConsulHeaders headers) {
        this.reads = new CatalogReads(queries, headers);
    }

    record ServiceEntry(@JsonProperty("Node") CatalogJson.NodeJson node,
                        @JsonProperty("Service") CatalogJson.ServiceJson service,
                        @JsonProperty("Checks") List<CatalogJson.CheckJson> checks) {
    }

    /**
     * The instances of a service with their node's checks and their own. {@code ?passing} keeps only instances
     * whose every check passes (a warning does not); repeated {@code ?tag} keeps instances with all those tags.
     */
    @GetMapping("/service/{service}")
    CompletableFuture<ResponseEntity<Object>> service(@PathVariable String service, HttpServletRequest request) {
        QueryParams params = QueryParams.of(request, Set.of("passing", "tag"));
        boolean passing = params.flag("passing");
        List<String> tags = CatalogReads.tags(request);
        return read(params, null, service, EnumSet.of(Table.SERVICES, Table.CHECKS, Table.NODES), view -> {
            Map<String, List<HealthCheck>> checksByInstance = view.checksByInstance();
            Map<String, List<String>> tagsByInstance = view.tagsByInstance();
            Map<String, Node> nodes = new HashMap<>();
            view.nodes().forEach(n -> nodes.put(n.name(), n));
            List<ServiceEntry> entries = new ArrayList<>();
            for (ServiceInstance s : view.services()) {
                Node node = nodes.get(s.node());
                List<HealthCheck> checks = checksByInstance.get(CatalogView.instanceKey(s.node(), s.id()));
                if (node == null || !s.tags().containsAll(tags)
                        || (passing && checks.stream().anyMatch(c -> c.status() != CheckStatus.PASSING))) {
                    continue;
                }
                entries.add(new ServiceEntry(CatalogJson.NodeJson.of(node), CatalogJson.ServiceJson.of(s),
                        checks.stream().map(c -> CatalogJson.CheckJson.of(c, tagsOf(tagsByInstance, c))).toList()));
            }
            return entries;
        });
    }

    /** The checks bound to instances of a service. */
    @GetMapping("/checks/{service}")
    CompletableFuture<ResponseEntity<Object>> checks(@PathVariable String service, HttpServletRequest request) {
        QueryParams params = QueryParams.of(request, Set.of());
        return read(params, null, service, EnumSet.of(Table.CHECKS), view -> checksJson(view,
                view.checks().stream().filter(c -> !c.serviceId().isEmpty()).toList()));
    }

    /** Every check on a node, its own and its services'. */
    @GetMapping("/node/{node}")
    CompletableFuture<ResponseEntity<Object>> node(@PathVariable String node, HttpServletRequest request) {
        QueryParams params = QueryParams.of(request, Set.of());
        return read(params, node, null, EnumSet.of(Table.CHECKS), view -> checksJson(view, view.checks()));
    }

    /** Every check in a state: passing, warning, critical, or any. */
    @GetMapping("/state/{state}")
    CompletableFuture<ResponseEntity<Object>> state(@PathVariable String state, HttpServletRequest request) {
        QueryParams params = QueryParams.of(request, Set.of());
        CheckStatus wanted = switch (state.toLowerCase(Locale.ROOT)) {
            case "any" -> null;
            case "passing" -> CheckStatus.PASSING;
            case "warning" -> CheckStatus.WARNING;
            case "critical" -> CheckStatus.CRITICAL;
            default -> throw ApiException.badRequest("Invalid check state: " + state);
        };
        return read(params, null, null, EnumSet.of(Table.CHECKS), view -> checksJson(view,
                view.checks().stream().filter(c -> wanted == null || c.status() == wanted).toList()));
    }

    private CompletableFuture<ResponseEntity<Object>> read(QueryParams params, String node, String service,
                                                           Set<Table> tables, Function<CatalogView, Object> render) {
        return reads.read(ReadOptions.from(params), node, service, tables, render);
    }

    private static List<CatalogJson.CheckJson> checksJson(CatalogView view, List<HealthCheck> checks) {
        Map<String, List<String>> tags = view.tagsByInstance();
        return checks.stream().map(c -> CatalogJson.CheckJson.of(c, tagsOf(tags, c))).toList();
    }

    private static List<String> tagsOf(Map<String, List<String>> tagsByInstance, HealthCheck check) {
        return check.serviceId().isEmpty() ? List.of()
                : tagsByInstance.getOrDefault(CatalogView.instanceKey(check.node(), check.serviceId()), List.of());
    }
}
