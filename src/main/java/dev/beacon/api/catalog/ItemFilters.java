package dev.beacon.api.catalog;

import java.util.List;
import java.util.Map;

import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.filter.FieldSource;
import dev.beacon.api.filter.FieldValue;
import dev.beacon.api.filter.FilterExpression;
import dev.beacon.api.filter.FilterSyntaxException;
import dev.beacon.api.filter.SelectorSchema;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;

/**
 * Consul's {@code ?filter=} on the catalog, health and agent endpoints: the selectors each of Consul's result types
 * offers (as its documentation lists them), and Beacon's records seen through them. A filter is parsed and checked
 * against the endpoint's type before anything is read, so a bad one is a 400 with its position, as in Consul.
 */
public final class ItemFilters {
    /** A node: {@code /v1/catalog/nodes}. */
    public static final SelectorSchema NODE = nodeFields(SelectorSchema.builder(), "").build();
    /** A service instance with its node flattened in: {@code /v1/catalog/service/<s>}, {@code /v1/catalog/services}. */
    public static final SelectorSchema SERVICE_NODE = SelectorSchema.builder()
            .string("ID", "Node", "Address", "Datacenter", "ServiceKind", "ServiceID", "ServiceName",
                    "ServiceAddress", "ServiceSocketPath")
            .stringMap("TaggedAddresses", "NodeMeta", "ServiceMeta")
            .stringList("ServiceTags")
            .integer("ServicePort", "ServiceWeights.Passing", "ServiceWeights.Warning")
            .bool("ServiceEnableTagOverride")
            .build();
    /** A service as a node or agent holds it: {@code /v1/agent/services}, {@code /v1/catalog/node-services/<n>}. */
    public static final SelectorSchema NODE_SERVICE = serviceFields(SelectorSchema.builder(), "").build();
    /** A check: {@code /v1/health/node|checks|state}, {@code /v1/agent/checks}. */
    public static final SelectorSchema CHECK = checkFields(SelectorSchema.builder(), "").build();
    /** A health result: {@code /v1/health/service/<s>}, its node, service and checks. */
    public static final SelectorSchema HEALTH_SERVICE = checkFields(serviceFields(
            nodeFields(SelectorSchema.builder(), "Node."), "Service."), "Checks.").structList("Checks").build();

    private ItemFilters() {
    }

    /** The request's filter checked against {@code schema}, or null when there is none (absent or blank). */
    public static FilterExpression parse(ApiRequest request, SelectorSchema schema) {
        String text = request.filter();
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return FilterExpression.parse(text, schema);
        } catch (FilterSyntaxException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    public static FieldSource node(Node n) {
        return path -> nodeField(n, path, 0);
    }

    public static FieldSource serviceNode(Node n, ServiceInstance s) {
        return path -> switch (path.get(0)) {
            case "ID" -> FieldValue.of(n.id());
            case "Node" -> FieldValue.of(n.name());
            case "Address" -> FieldValue.of(n.address());
            case "Datacenter" -> FieldValue.of(n.datacenter());
            case "TaggedAddresses" -> mapField(n.taggedAddresses(), path, 1);
            case "NodeMeta" -> mapField(n.meta(), path, 1);
            case "ServiceKind" -> FieldValue.of(s.extras().kind());
            case "ServiceID" -> FieldValue.of(s.id());
            case "ServiceName" -> FieldValue.of(s.service());
            case "ServiceAddress" -> FieldValue.of(s.address());
            case "ServiceSocketPath" -> FieldValue.of(s.extras().socketPath());
            case "ServiceMeta" -> mapField(s.meta(), path, 1);
            case "ServiceTags" -> FieldValue.of(s.tags());
            case "ServicePort" -> FieldValue.of(s.port());
            case "ServiceWeights" -> weight(s, path, 1);
            case "ServiceEnableTagOverride" -> FieldValue.of(s.enableTagOverride());
            default -> FieldValue.missing();
        };
    }

    public static FieldSource nodeService(ServiceInstance s) {
        return path -> serviceField(s, path, 0);
    }

    public static FieldSource check(HealthCheck c, List<String> serviceTags) {
        return path -> checkField(c, serviceTags, path, 0);
    }

    /** A health result: its node, its service, and its checks (a service check carries the service's tags). */
    public static FieldSource healthService(Node n, ServiceInstance s, List<HealthCheck> checks) {
        return path -> switch (path.get(0)) {
            case "Node" -> nodeField(n, path, 1);
            case "Service" -> serviceField(s, path, 1);
            case "Checks" -> path.size() == 1 ? FieldValue.structs(checks.size())
                    : FieldValue.anyOf(checks, c -> checkField(c, c.serviceId().isEmpty() ? List.of() : s.tags(),
                    path, 1));
            default -> FieldValue.missing();
        };
    }

    private static SelectorSchema.Builder nodeFields(SelectorSchema.Builder b, String prefix) {
        return b.string(prefix + "ID", prefix + "Node", prefix + "Address", prefix + "Datacenter")
                .stringMap(prefix + "TaggedAddresses", prefix + "Meta");
    }

    private static SelectorSchema.Builder serviceFields(SelectorSchema.Builder b, String prefix) {
        return b.string(prefix + "Kind", prefix + "ID", prefix + "Service", prefix + "Address",
                        prefix + "SocketPath")
                .stringList(prefix + "Tags")
                .stringMap(prefix + "Meta")
                .integer(prefix + "Port", prefix + "Weights.Passing", prefix + "Weights.Warning")
                .bool(prefix + "EnableTagOverride");
    }

    private static SelectorSchema.Builder checkFields(SelectorSchema.Builder b, String prefix) {
        return b.string(prefix + "Node", prefix + "CheckID", prefix + "Name", prefix + "Status", prefix + "Notes",
                        prefix + "Output", prefix + "ServiceID", prefix + "ServiceName", prefix + "Type")
                .stringList(prefix + "ServiceTags");
    }

    private static FieldValue nodeField(Node n, List<String> path, int at) {
        if (path.size() <= at) {
            return FieldValue.missing();
        }
        return switch (path.get(at)) {
            case "ID" -> FieldValue.of(n.id());
            case "Node" -> FieldValue.of(n.name());
            case "Address" -> FieldValue.of(n.address());
            case "Datacenter" -> FieldValue.of(n.datacenter());
            case "TaggedAddresses" -> mapField(n.taggedAddresses(), path, at + 1);
            case "Meta" -> mapField(n.meta(), path, at + 1);
            default -> FieldValue.missing();
        };
    }

    private static FieldValue serviceField(ServiceInstance s, List<String> path, int at) {
        if (path.size() <= at) {
            return FieldValue.missing();
        }
        return switch (path.get(at)) {
            case "Kind" -> FieldValue.of(s.extras().kind());
            case "ID" -> FieldValue.of(s.id());
            case "Service" -> FieldValue.of(s.service());
            case "Address" -> FieldValue.of(s.address());
            case "SocketPath" -> FieldValue.of(s.extras().socketPath());
            case "Tags" -> FieldValue.of(s.tags());
            case "Meta" -> mapField(s.meta(), path, at + 1);
            case "Port" -> FieldValue.of(s.port());
            case "Weights" -> weight(s, path, at + 1);
            case "EnableTagOverride" -> FieldValue.of(s.enableTagOverride());
            default -> FieldValue.missing();
        };
    }

    private static FieldValue checkField(HealthCheck c, List<String> serviceTags, List<String> path, int at) {
        if (path.size() <= at) {
            return FieldValue.missing();
        }
        return switch (path.get(at)) {
            case "Node" -> FieldValue.of(c.node());
            case "CheckID" -> FieldValue.of(c.checkId());
            case "Name" -> FieldValue.of(c.name());
            case "Status" -> FieldValue.of(c.status().wireName());
            case "Notes" -> FieldValue.of(c.notes());
            case "Output" -> FieldValue.of(c.output());
            case "ServiceID" -> FieldValue.of(c.serviceId());
            case "ServiceName" -> FieldValue.of(c.serviceName());
            case "ServiceTags" -> FieldValue.of(serviceTags);
            case "Type" -> FieldValue.of(c.type());
            default -> FieldValue.missing();
        };
    }

    private static FieldValue weight(ServiceInstance s, List<String> path, int at) {
        if (path.size() <= at) {
            return FieldValue.missing();
        }
        return switch (path.get(at)) {
            case "Passing" -> FieldValue.of(s.extras().passingWeight());
            case "Warning" -> FieldValue.of(s.extras().warningWeight());
            default -> FieldValue.missing();
        };
    }

    /** A map as a whole ({@code Meta}) or one of its keys ({@code Meta.version}). */
    private static FieldValue mapField(Map<String, String> map, List<String> path, int at) {
        if (path.size() == at) {
            return FieldValue.of(map);
        }
        String value = map.get(path.get(at));
        return value == null ? FieldValue.missing() : FieldValue.of(value);
    }
}
