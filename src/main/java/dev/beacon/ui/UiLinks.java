package dev.beacon.ui;

/**
 * The links of catalog pages, keeping the datacenter a page shows: a page of another datacenter links to that
 * datacenter's services and nodes.
 *
 * @param dc the datacenter shown, or null for this server's own
 */
public record UiLinks(String dc) {

    public String services() {
        return UiLayout.url("/ui/services", "dc", dc);
    }

    public String servicesTagged(String tag) {
        return UiLayout.url("/ui/services", "tag", tag, "dc", dc);
    }

    public String service(String name) {
        return UiLayout.url("/ui/services/" + UiText.segment(name), "dc", dc);
    }

    public String kv() {
        return UiLayout.url("/ui/kv/", "dc", dc);
    }

    public String nodes() {
        return UiLayout.url("/ui/nodes", "dc", dc);
    }

    public String node(String name) {
        return UiLayout.url("/ui/nodes/" + UiText.segment(name), "dc", dc);
    }
}
