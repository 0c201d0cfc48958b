package dev.beacon.api.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.beacon.api.ApiException;
import dev.beacon.api.QueryParams;
import dev.beacon.state.CatalogView;
import dev.beacon.state.Node;

/**
 * Consul's repeated {@code ?node-meta=key:value}: only nodes (and their services and checks) that match every
 * pair, on the catalog and health reads that take it. Parsed before the read, so that a malformed pair is refused
 * at once rather than after a blocking wait.
 */
public record NodeMetaFilter(Map<String, String> wanted) {

    public static NodeMetaFilter from(QueryParams params) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String pair : params.all("node-meta")) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw ApiException.badRequest("Invalid node-meta filter, expected key:value: " + pair);
            }
            wanted.put(pair.substring(0, colon), pair.substring(colon + 1));
        }
        return new NodeMetaFilter(wanted);
    }

    public CatalogView apply(CatalogView view) {
        if (wanted.isEmpty()) {
            return view;
        }
        List<Node> nodes = view.nodes().stream()
                .filter(n -> wanted.entrySet().stream().allMatch(w -> w.getValue().equals(n.meta().get(w.getKey()))))
                .toList();
        Set<String> names = nodes.stream().map(Node::name).collect(Collectors.toSet());
        return new CatalogView(nodes, view.services().stream().filter(s -> names.contains(s.node())).toList(),
                view.checks().stream().filter(c -> names.contains(c.node())).toList());
    }
}
