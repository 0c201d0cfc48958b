package dev.beacon.ui;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.beacon.state.Query;
import dev.beacon.state.Table;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import reactor.core.publisher.Mono;

/** The services list (filter by name and tag) and one service's instances with their checks. */
@Controller
@RequestMapping("/ui/services")
class ServicesPageController {
    static final Set<Table> TABLES = EnumSet.of(Table.NODES, Table.SERVICES, Table.CHECKS);

    private final UiReads reads;
    private final UiLayout layout;
    private final UiAccess access;

    ServicesPageController(UiReads reads, UiLayout layout, UiAccess access) {
        this.reads = reads;
        this.layout = layout;
        this.access = access;
    }

    @GetMapping
    Mono<Rendering> services(ServerHttpRequest request,
                             @RequestParam(required = false) String q,
                             @RequestParam(required = false) String tag,
                             @RequestParam(required = false) String dc,
                             @RequestParam(defaultValue = "0") long index,
                             @RequestParam(name = UiLayout.FRAGMENT, required = false) String fragment) {
        return reads.catalog(new Query.CatalogSlice(null, null, TABLES), index, access.caller(request), dc).map(r ->
                layout.view("services", fragment != null, "Services", "services", dc)
                        .modelAttribute("services", CatalogPages.services(r.value(), q, tag))
                        .modelAttribute("total", CatalogPages.services(r.value(), null, null).size())
                        .modelAttribute("index", r.index())
                        .modelAttribute("q", q == null ? "" : q)
                        .modelAttribute("tag", tag == null ? "" : tag)
                        .modelAttribute("liveUrl", UiLayout.url("/ui/services", "q", q, "tag", tag, "dc", dc))
                        .build());
    }

    @GetMapping("/{name}")
    Mono<Rendering> service(ServerHttpRequest request, @PathVariable String name,
                            @RequestParam(required = false) String dc,
                            @RequestParam(defaultValue = "0") long index,
                            @RequestParam(name = UiLayout.FRAGMENT, required = false) String fragment) {
        return reads.catalog(new Query.CatalogSlice(null, name, TABLES), index, access.caller(request), dc).map(r -> {
            List<CatalogPages.InstanceRow> instances = CatalogPages.instances(r.value());
            if (instances.isEmpty() && fragment == null) {
                throw new UiNotFound("Service", name, "/ui/services", "All services");
            }
            TreeSet<String> tags = new TreeSet<>();
            instances.forEach(i -> tags.addAll(i.service().tags()));
            return layout.view("service", fragment != null, name + " · Services", "services", dc)
                    .modelAttribute("name", name)
                    .modelAttribute("instances", instances)
                    .modelAttribute("tags", List.copyOf(tags))
                    .modelAttribute("health", HealthSummary.of(instances.stream()
                            .map(CatalogPages.InstanceRow::status).toList()))
                    .modelAttribute("index", r.index())
                    .modelAttribute("liveUrl", UiLayout.url("/ui/services/" + UiText.segment(name), "dc", dc))
                    .build();
        });
    }
}
