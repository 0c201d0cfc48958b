package dev.beacon.ui;

import java.nio.charset.StandardCharsets;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Datacenters;
import dev.beacon.state.Store;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.util.UriUtils;

/**
 * What every page shares: the navigation, this server's name and datacenter, the datacenter selector (every
 * datacenter this server knows over the WAN; the services and nodes pages show the one selected), and the links
 * that keep it. A live refresh asks for the page's {@code live} fragment only, which needs only the links.
 */
@Component
class UiLayout {
    /** Request parameter of a live refresh: render only the part of the page that changes. */
    static final String FRAGMENT = "fragment";

    private final ClusterView cluster;
    private final Store store;
    private final UiAccess access;
    private final Datacenters datacenters;

    UiLayout(ClusterView cluster, Store store, UiAccess access, Datacenters datacenters) {
        this.cluster = cluster;
        this.store = store;
        this.access = access;
        this.datacenters = datacenters;
    }

    /**
     * The page to render; callers add their own attributes (and a status) before building it.
     *
     * @param dc the datacenter the page shows (blank: this one), which the selector shows and links keep
     */
    Rendering.Builder<?> view(String template, boolean fragment, String title, String section, String dc) {
        String local = cluster.settings().datacenter();
        String shown = dc == null || dc.isBlank() ? local : dc;
        UiLinks links = new UiLinks(shown.equals(local) ? null : shown);
        if (fragment) {
            return Rendering.view(template + " :: live").modelAttribute("links", links);
        }
        return Rendering.view(template)
                .modelAttribute("title", title)
                .modelAttribute("section", section)
                .modelAttribute("nodeName", cluster.settings().nodeName())
                .modelAttribute("localDc", local)
                .modelAttribute("datacenters", datacenters.byDistance())
                .modelAttribute("dc", shown)
                .modelAttribute("links", links)
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
