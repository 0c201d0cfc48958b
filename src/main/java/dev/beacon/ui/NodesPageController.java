package dev.beacon.ui;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.Query;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/** The nodes list and one node's checks and service instances. */
@Controller
@RequestMapping("/ui/nodes")
class NodesPageController {
    private final UiReads reads;
    private final UiLayout layout;

    NodesPageController(UiReads reads, UiLayout layout) {
        this.reads = reads;
        this.layout = layout;
    }

    @GetMapping
    CompletableFuture<ModelAndView> nodes(@RequestParam(required = false) String q,
                                          @RequestParam(required = false) String dc,
                                          @RequestParam(defaultValue = "0") long index,
                                          @RequestParam(name = UiLayout.FRAGMENT, required = false) String fragment) {
        return reads.read(new Query.CatalogSlice(null, null, ServicesPageController.TABLES), index).thenApply(r -> {
            ModelAndView page = layout.view("nodes", fragment != null, "Nodes", "nodes", dc);
            page.addObject("nodes", CatalogPages.nodes(r.value(), q, dc));
            page.addObject("index", r.index());
            page.addObject("q", q == null ? "" : q);
            page.addObject("liveUrl", UiLayout.url("/ui/nodes", "q", q, "dc", dc));
            return page;
        });
    }

    @GetMapping("/{name}")
    CompletableFuture<ModelAndView> node(@PathVariable String name,
                                         @RequestParam(defaultValue = "0") long index,
                                         @RequestParam(name = UiLayout.FRAGMENT, required = false) String fragment) {
        return reads.read(new Query.CatalogSlice(name, null, ServicesPageController.TABLES), index).thenApply(r -> {
            Node node = r.value().node(name);
            if (node == null && fragment == null) {
                throw new UiNotFound("Node", name, "/ui/nodes", "All nodes");
            }
            ModelAndView page = layout.view("node", fragment != null, name + " · Nodes", "nodes", null);
            List<HealthCheck> checks = r.value().checks();
            List<HealthCheck> nodeChecks = checks.stream().filter(c -> c.serviceId().isEmpty()).toList();
            HealthSummary health = HealthSummary.of(checks.stream().map(HealthCheck::status).toList());
            page.addObject("name", name);
            page.addObject("node", node);
            page.addObject("health", health);
            page.addObject("nodeChecks", nodeChecks);
            page.addObject("instances", CatalogPages.instances(r.value()));
            page.addObject("index", r.index());
            page.addObject("liveUrl", UiLayout.url("/ui/nodes/" + UiText.segment(name)));
            return page;
        });
    }
}
