package dev.beacon.api.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.ApiException;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.ConsulHeaders;
import dev.beacon.api.QueryParams;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.RequestBodies;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.CatalogView;
import dev.beacon.state.Command;
import dev.beacon.state.Node;
import dev.beacon.state.Outcome;
import dev.beacon.state.ServiceInstance;
import dev.beacon.state.Table;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Consul's {@code /v1/catalog}: register and deregister, and the node and service views, all blocking-capable. */
@RestController
@RequestMapping("/v1/catalog")
class CatalogController {
    private static final int MAX_BODY_BYTES = 512 * 1024;
    private static final Set<String> FILTERS = Set.of("tag");

    private final ClusterView cluster;
    private final Replicator replicator;
    private final CatalogReads reads;
    private final CatalogRequests requests;

    CatalogController(ClusterView cluster, Replicator replicator, BlockingQueries queries, ConsulHeaders headers,
                      JsonMapper json) {
        this.cluster = cluster;
        this.replicator = replicator;
        this.reads = new CatalogReads(queries, headers);
        this.requests = new CatalogRequests(json, cluster.settings().datacenter());
    }

    @GetMapping("/datacenters")
    List<String> datacenters(HttpServletRequest request) {
        QueryParams.of(request, Set.of());
        return List.of(cluster.settings().datacenter());
    }

    @PutMapping("/register")
    CompletableFuture<ResponseEntity<String>> register(HttpServletRequest request) throws IOException {
        QueryParams.of(request, Set.of());
        Command command = requests.register(RequestBodies.read(request, MAX_BODY_BYTES,
                "Request body too large, max size: " + MAX_BODY_BYTES + " bytes"));
        return replicator.submit(command).thenApply(CatalogController::trueOrError);
    }

    @PutMapping("/deregister")
    CompletableFuture<ResponseEntity<String>> deregister(HttpServletRequest request) throws IOException {
        QueryParams.of(request, Set.of());
        Command command = requests.deregister(RequestBodies.read(request, MAX_BODY_BYTES,
                "Request body too large, max size: " + MAX_BODY_BYTES + " bytes"));
        return replicator.submit(command).thenApply(CatalogController::trueOrError);
    }

    /** Service name to the union of its instances' tags; indexed on the services table. */
    @GetMapping("/services")
    CompletableFuture<ResponseEntity<Object>> services(HttpServletRequest request) {
        return read(request, Set.of(), null, null, EnumSet.of(Table.SERVICES), view -> {
            Map<String, Set<String>> tags = new java.util.TreeMap<>();
            for (ServiceInstance s : withNodeMeta(view, request).services()) {
                tags.computeIfAbsent(s.service(), n -> new LinkedHashSet<>()).addAll(s.tags());
            }
            Map<String, List<String>> body = new LinkedHashMap<>();
            tags.forEach((name, t) -> body.put(name, List.copyOf(t)));
            return body;
        });
    }

    @GetMapping("/service/{service}")
    CompletableFuture<ResponseEntity<Object>> service(@PathVariable String service, HttpServletRequest request) {
        return read(request, FILTERS, null, service, EnumSet.of(Table.SERVICES, Table.NODES), view -> {
            CatalogView filtered = withNodeMeta(view, request);
            List<String> wantedTags = CatalogReads.tags(request);
            List<CatalogJson.CatalogServiceJson> rows = new ArrayList<>();
            for (ServiceInstance s : filtered.services()) {
                Node n = filtered.node(s.node());
                if (n != null && s.tags().containsAll(wantedTags)) {
                    rows.add(CatalogJson.CatalogServiceJson.of(n, s));
                }
            }
            return rows;
        });
    }

    @GetMapping("/nodes")
    CompletableFuture<ResponseEntity<Object>> nodes(HttpServletRequest request) {
        return read(request, Set.of(), null, null, EnumSet.of(Table.NODES),
                view -> withNodeMeta(view, request).nodes().stream().map(CatalogJson.NodeJson::of).toList());
    }

    record NodeServicesMap(@JsonProperty("Node") CatalogJson.NodeJson node,
                           @JsonProperty("Services") Map<String, CatalogJson.ServiceJson> services) {
    }

    record NodeServicesList(@JsonProperty("Node") CatalogJson.NodeJson node,
                            @JsonProperty("Services") List<CatalogJson.ServiceJson> services) {
    }

    @GetMapping("/node/{node}")
    CompletableFuture<ResponseEntity<Object>> node(@PathVariable String node, HttpServletRequest request) {
        return read(request, Set.of(), node, null, EnumSet.of(Table.NODES, Table.SERVICES), view -> {
            if (view.nodes().isEmpty()) {
                return null;
            }
            Map<String, CatalogJson.ServiceJson> services = new LinkedHashMap<>();
            view.services().forEach(s -> services.put(s.id(), CatalogJson.ServiceJson.of(s)));
            return new NodeServicesMap(CatalogJson.NodeJson.of(view.nodes().get(0)), services);
        });
    }

    @GetMapping("/node-services/{node}")
    CompletableFuture<ResponseEntity<Object>> nodeServices(@PathVariable String node, HttpServletRequest request) {
        return read(request, Set.of(), node, null, EnumSet.of(Table.NODES, Table.SERVICES), view -> {
            if (view.nodes().isEmpty()) {
                return null;
            }
            return new NodeServicesList(CatalogJson.NodeJson.of(view.nodes().get(0)),
                    view.services().stream().map(CatalogJson.ServiceJson::of).toList());
        });
    }

    private CompletableFuture<ResponseEntity<Object>> read(HttpServletRequest request, Set<String> known,
                                                           String node, String service, Set<Table> tables,
                                                           Function<CatalogView, Object> render) {
        return reads.read(ReadOptions.from(QueryParams.of(request, known)), node, service, tables, render);
    }

    /** Consul's repeated {@code ?node-meta=key:value}: only nodes (and their services) that match every pair. */
    static CatalogView withNodeMeta(CatalogView view, HttpServletRequest request) {
        String[] pairs = request.getParameterValues("node-meta");
        if (pairs == null) {
            return view;
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String pair : pairs) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw ApiException.badRequest("Invalid node-meta filter, expected key:value: " + pair);
            }
            wanted.put(pair.substring(0, colon), pair.substring(colon + 1));
        }
        List<Node> nodes = view.nodes().stream()
                .filter(n -> wanted.entrySet().stream().allMatch(w -> w.getValue().equals(n.meta().get(w.getKey()))))
                .toList();
        Set<String> names = new LinkedHashSet<>(nodes.stream().map(Node::name).toList());
        return new CatalogView(nodes, view.services().stream().filter(s -> names.contains(s.node())).toList(),
                view.checks().stream().filter(c -> names.contains(c.node())).toList());
    }

    private static ResponseEntity<String> trueOrError(Outcome outcome) {
        if (outcome.error() != null) {
            throw ApiException.badRequest(outcome.error());
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Boolean.toString(outcome.success()));
    }
}
