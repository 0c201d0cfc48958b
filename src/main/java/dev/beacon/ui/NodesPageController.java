package dev.beacon.ui;

import java.util.List;

import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.Query;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import reactor.core.publisher.Mono;

/** The nodes list and one node's checks and service instances. */
@Controller
@RequestMapping("/ui/nodes")
class NodesPageController {
    private final UiReads reads;
    private final UiLayout layout;
    private final UiAccess access;

    NodesPageController(UiReads reads, UiLayout layout, UiAccess access) {
        this.reads = reads;
        this.layout = layout;
        this.access = access;
    }

    @GetMapping
    Mono<Rendering> nodes(ServerHttpRequest request, @RequestParam(required = false) String q,
                          @RequestParam(required = false) String dc,
                          @RequestParam(defaultValue = "0") long index,
                          @RequestParam(name = UiLayout.FRAGMENT, required = false) String fragment) {
        return reads.catalog(new Query.CatalogSlice(null, null, ServicesPageController.TABLES), index,
                access.caller(request), dc).map(r ->
                layout.view("nodes", fragment != null, "Nodes", "nodes", dc)
                        .modelAttribute("nodes", CatalogPages.nodes(r.value(), q))
                        .modelAttribute("index", r.index())
                        .modelAttribute("q", q == null ? "" : q)
                        .modelAttribute("liveUrl", UiLayout.url("/ui/nodes", "q", q, "dc", dc))
                        .build());
    }

    @GetMapping("/{name}")
    Mono<Rendering> node(ServerHttpRequest request, @PathVariable String name,
                         @RequestParam(required = false) String dc,
                         @RequestParam(defaultValue = "0") long index,
                         @RequestParam(name = UiLayout.FRAGMENT, required = false) String fragment) {
        return reads.catalog(new Query.CatalogSlice(name, null, ServicesPageController.TABLES), index,
                access.caller(request), dc).map(r -> {
            Node node = r.value().node(name);
            if (node == null && fragment == null) {
                throw new UiNotFound("Node", name, "/ui/nodes", "All nodes");
            }
            List<HealthCheck> checks = r.value().checks();
            List<HealthCheck> nodeChecks = checks.stream().filter(c -> c.serviceId().isEmpty()).toList();
            HealthSummary health = HealthSummary.of(checks.stream().map(HealthCheck::status).toList());
            return layout.view("node", fragment != null, name + " · Nodes", "nodes", dc)
                    .modelAttribute("name", name)
                    .modelAttribute("node", node)
                    .modelAttribute("health", health)
                    .modelAttribute("nodeChecks", nodeChecks)
                    .modelAttribute("instances", CatalogPages.instances(r.value()))
                    .modelAttribute("index", r.index())
                    .modelAttribute("liveUrl", UiLayout.url("/ui/nodes/" + UiText.segment(name), "dc", dc))
                    .build();
        });
    }
}
