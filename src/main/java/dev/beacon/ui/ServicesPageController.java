package dev.beacon.ui;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import dev.beacon.state.Query;
import dev.beacon.state.Table;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/** The services list (filter by name and tag) and one service's instances with their checks. */
@Controller
@RequestMapping("/ui/services")
class ServicesPageController {
    static final Set<Table> TABLES = EnumSet.of(Table.NODES, Table.SERVICES, Table.CHECKS);

    private final UiReads reads;
    private final UiLayout layout;

    ServicesPageController(UiReads reads, UiLayout layout) {
        this.reads = reads;
        this.layout = layout;
    }

    @GetMapping
    CompletableFuture<ModelAndView> services(@RequestParam(required = false) String q,
                                             @RequestParam(required = false) String tag,
                                             @RequestParam(required = false) String dc,
                                             @RequestParam(defaultValue = "0") long index,
                                             @RequestParam(name = UiLayout.FRAGMENT, required = false)
                                             String fragment) {
        return reads.read(new Query.CatalogSlice(null, null, TABLES), index).thenApply(r -> {
            ModelAndView page = layout.view("services", fragment != null, "Services", "services", dc);
            page.addObject("services", CatalogPages.services(r.value(), q, tag, dc));
            page.addObject("total", CatalogPages.services(r.value(), null, null, dc).size());
            page.addObject("index", r.index());
            page.addObject("q", q == null ? "" : q);
            page.addObject("tag", tag == null ? "" : tag);
            page.addObject("liveUrl", UiLayout.url("/ui/services", "q", q, "tag", tag, "dc", dc));
            return page;
        });
    }

    @GetMapping("/{name}")
    CompletableFuture<ModelAndView> service(@PathVariable String name,
                                            @RequestParam(defaultValue = "0") long index,
                                            @RequestParam(name = UiLayout.FRAGMENT, required = false) String fragment) {
        return reads.read(new Query.CatalogSlice(null, name, TABLES), index).thenApply(r -> {
            List<CatalogPages.InstanceRow> instances = CatalogPages.instances(r.value());
            if (instances.isEmpty() && fragment == null) {
                throw new UiNotFound("Service", name, "/ui/services", "All services");
            }
            ModelAndView page = layout.view("service", fragment != null, name + " · Services", "services", null);
            TreeSet<String> tags = new TreeSet<>();
            instances.forEach(i -> tags.addAll(i.service().tags()));
            page.addObject("name", name);
            page.addObject("instances", instances);
            page.addObject("tags", List.copyOf(tags));
            page.addObject("health", HealthSummary.of(instances.stream().map(CatalogPages.InstanceRow::status)
                    .toList()));
            page.addObject("index", r.index());
            page.addObject("liveUrl", UiLayout.url("/ui/services/" + UiText.segment(name)));
            return page;
        });
    }
}
