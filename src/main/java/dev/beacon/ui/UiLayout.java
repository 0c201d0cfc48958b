package dev.beacon.ui;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.beacon.cluster.ClusterView;
import dev.beacon.state.CatalogView;
import dev.beacon.state.Node;
import dev.beacon.state.Store;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.util.UriUtils;

/**
 * What every page shares: the navigation, this server's name and datacenter, and the datacenter selector. A live
 * refresh asks for the page's {@code live} fragment only, which needs none of it.
 */
@Component
class UiLayout {
    /** Request parameter of a live refresh: render only the part of the page that changes. */
    static final String FRAGMENT = "fragment";

    private final ClusterView cluster;
    private final Store store;
    private final UiAccess access;

    UiLayout(ClusterView cluster, Store store, UiAccess access) {
        this.cluster = cluster;
        this.store = store;
        this.access = access;
    }

    /** The page to render; callers add their own attributes (and a status) before building it. */
    Rendering.Builder<?> view(String template, boolean fragment, String title, String section, String dc) {
        if (fragment) {
            return Rendering.view(template + " :: live");
        }
        List<Node> nodes = store.nodes().value();
        return Rendering.view(template)
                .modelAttribute("title", title)
                .modelAttribute("section", section)
                .modelAttribute("nodeName", cluster.settings().nodeName())
                .modelAttribute("localDc", cluster.settings().datacenter())
                .modelAttribute("datacenters", CatalogPages.datacenters(
                        new CatalogView(nodes, List.of(), List.of()), cluster.settings().datacenter()))
                .modelAttribute("dc", dc == null ? "" : dc)
                .modelAttribute("noSpace", store.usage().noSpace())
                .modelAttribute("aclEnabled", access.enabled());
    }

    /**
     * A page address with its filters, for links and for the live refresh to ask for the same view again.
     * {@code path} is already encoded; blank values are left out.
     */
    static String url(String path, String... namesAndValues) {
        StringBuilder url = new StringBuilder(path);
        char separator = '?';
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            String value = namesAndValues[i + 1];
            if (value != null && !value.isBlank()) {
                url.append(separator).append(namesAndValues[i]).append('=')
                        .append(UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return url.toString();
    }
}
