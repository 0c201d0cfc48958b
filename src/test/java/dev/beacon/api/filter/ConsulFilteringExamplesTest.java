package dev.beacon.api.filter;

import static dev.beacon.api.filter.FilterExpressionMatchTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The examples of Consul's filtering documentation (api-docs/features/filtering), on the documentation's data.
 */
class ConsulFilteringExamplesTest {

    @Test
    void agentServicesByMeta() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        services.put("redis1", Map.of("ID", "redis1", "Service", "redis", "Tags", List.of("primary", "production"),
                "Meta", Map.of("env", "production", "foo", "bar"), "Port", 1234, "Address", "",
                "Weights", Map.of("Passing", 1, "Warning", 1), "EnableTagOverride", false));
        services.put("redis2", Map.of("ID", "redis2", "Service", "redis", "Tags", List.of("secondary", "production"),
                "Meta", Map.of("env", "production", "foo", "bar"), "Port", 1235, "Address", "",
                "Weights", Map.of("Passing", 1, "Warning", 1), "EnableTagOverride", false));
        services.put("redis3", Map.of("ID", "redis3", "Service", "redis", "Tags", List.of("primary", "qa"),
                "Meta", Map.of("env", "qa"), "Port", 1234, "Address", "",
                "Weights", Map.of("Passing", 1, "Warning", 1), "EnableTagOverride", false));

        assertThat(keysMatching(services, "Meta.env == \"qa\"")).containsExactly("redis3");
        assertThat(keysMatching(services, "Meta.foo == bar")).containsExactly("redis1", "redis2");
        assertThat(keysMatching(services, "Meta[\"foo\"] == bar")).containsExactly("redis1", "redis2");
        assertThat(keysMatching(services, "primary in Tags and Port == 1234")).containsExactly("redis1", "redis3");
        assertThat(keysMatching(services, "Weights.Passing == 1 and EnableTagOverride == false"))
                .containsExactly("redis1", "redis2", "redis3");
    }

    @Test
    void catalogServiceByNodeMeta() {
        List<Map<String, Object>> nodes = List.of(
                catalogEntry("node-1", "198.18.0.1", Map.of("agent", "true", "arch", "i386", "os", "darwin"),
                        List.of("tag"), "qa"),
                catalogEntry("node-2", "198.18.0.2", Map.of("arch", "arm", "os", "linux"), List.of("test", "tag"),
                        "production"),
                catalogEntry("node-4", "198.18.0.4", Map.of("arch", "i386", "os", "freebsd"), List.of(), "qa"));

        assertThat(nodesMatching(nodes, "NodeMeta.os == \"linux\"")).containsExactly("node-2");
        assertThat(nodesMatching(nodes, "ServiceMeta.environment == qa")).containsExactly("node-1", "node-4");
        assertThat(nodesMatching(nodes, "ServiceTags is empty")).containsExactly("node-4");
        assertThat(nodesMatching(nodes, "\"agent\" in NodeMeta")).containsExactly("node-1");
        assertThat(nodesMatching(nodes, "Address matches \"\\\\.[12]$\"")).containsExactly("node-1", "node-2");
        assertThat(nodesMatching(nodes, "NodeMeta.arch == i386 and not NodeMeta.os == darwin"))
                .containsExactly("node-4");
    }

    @Test
    void healthNodeChecksOfAService() {
        List<Map<String, Object>> checks = List.of(
                Map.of("Node", "node-1", "CheckID", "node-health", "Name", "Node level check", "Status", "critical",
                        "ServiceID", "", "ServiceName", "", "ServiceTags", List.of()),
                Map.of("Node", "node-1", "CheckID", "svc-web-health", "Name", "Service level check - web",
                        "Status", "warning", "ServiceID", "", "ServiceName", "web", "ServiceTags", List.of()));

        FilterExpression filter = FilterExpression.parse("ServiceName != \"\"");

        assertThat(checks.stream().filter(c -> filter.matches(json(c))).map(c -> c.get("CheckID")))
                .containsExactly("svc-web-health");
    }

    @Test
    void theDocumentedPrecedenceExampleIsOneTree() {
        String tree = "((a == \"1\" and not b == \"2\") or c == \"3\")";

        assertThat(FilterExpression.parse("a == 1 and not b == 2 or c == 3")).hasToString(tree);
        assertThat(FilterExpression.parse("( a == 1 and (not b == 2 )) or c == 3")).hasToString(tree);
    }

    /** A Beacon-like health result, mapped onto Consul's selectors the way an endpoint would do it. */
    record Check(String checkId, String status, List<String> serviceTags) {
    }

    record Result(String node, Map<String, String> nodeMeta, String service, int port, List<String> tags,
                  List<Check> checks) {

        FieldSource fields() {
            return path -> switch (path.get(0)) {
                case "Node" -> path.size() < 2 ? FieldValue.missing() : switch (path.get(1)) {
                    case "Node" -> FieldValue.of(node);
                    case "Meta" -> path.size() == 2 ? FieldValue.of(nodeMeta) : metaKey(nodeMeta, path.get(2));
                    default -> FieldValue.missing();
                };
                case "Service" -> path.size() < 2 ? FieldValue.missing() : switch (path.get(1)) {
                    case "Service" -> FieldValue.of(service);
                    case "Port" -> FieldValue.of(port);
                    case "Tags" -> FieldValue.of(tags);
                    default -> FieldValue.missing();
                };
                case "Checks" -> path.size() == 1 ? FieldValue.structs(checks.size()) : switch (path.get(1)) {
                    case "CheckID" -> FieldValue.anyOf(checks, c -> FieldValue.of(c.checkId()));
                    case "Status" -> FieldValue.anyOf(checks, c -> FieldValue.of(c.status()));
                    case "ServiceTags" -> FieldValue.anyOf(checks, c -> FieldValue.of(c.serviceTags()));
                    default -> FieldValue.missing();
                };
                default -> FieldValue.missing();
            };
        }

        private static FieldValue metaKey(Map<String, String> meta, String key) {
            String value = meta.get(key);
            return value == null ? FieldValue.missing() : FieldValue.of(value);
        }
    }

    @Test
    void aHealthResultSeenThroughAnEndpointsFieldSource() {
        SelectorSchema schema = SelectorSchema.builder()
                .string("Node.Node", "Service.Service", "Checks.CheckID", "Checks.Status")
                .stringMap("Node.Meta")
                .integer("Service.Port")
                .stringList("Service.Tags", "Checks.ServiceTags")
                .structList("Checks")
                .build();
        Result healthy = new Result("n1", Map.of("rack", "r1"), "web", 8080, List.of("v1"),
                List.of(new Check("serfHealth", "passing", List.of()),
                        new Check("service:web", "passing", List.of("v1"))));
        Result failing = new Result("n2", Map.of(), "web", 8080, List.of("v2"),
                List.of(new Check("serfHealth", "passing", List.of()),
                        new Check("service:web", "critical", List.of("v2"))));
        Result unchecked = new Result("n3", Map.of("rack", "r2"), "web", 9090, List.of(), List.of());

        FilterExpression anyNotPassing = FilterExpression.parse("Checks.Status != passing", schema);
        FilterExpression allPassing = FilterExpression.parse("not Checks.Status != passing", schema);
        FilterExpression racked = FilterExpression.parse(
                "Node.Meta.rack matches \"^r\" and Service.Port == 8080 and \"v1\" in Checks.ServiceTags", schema);
        FilterExpression noChecks = FilterExpression.parse("Checks is empty or Service.Tags is empty", schema);

        assertThat(anyNotPassing.matches(healthy.fields())).isFalse();
        assertThat(anyNotPassing.matches(failing.fields())).isTrue();
        assertThat(anyNotPassing.matches(unchecked.fields())).isFalse();
        assertThat(allPassing.matches(healthy.fields())).isTrue();
        assertThat(allPassing.matches(failing.fields())).isFalse();
        assertThat(allPassing.matches(unchecked.fields())).isTrue();
        assertThat(racked.matches(healthy.fields())).isTrue();
        assertThat(racked.matches(failing.fields())).isFalse();
        assertThat(racked.matches(unchecked.fields())).isFalse();
        assertThat(noChecks.matches(healthy.fields())).isFalse();
        assertThat(noChecks.matches(unchecked.fields())).isTrue();
    }

    private static List<String> keysMatching(Map<String, Map<String, Object>> items, String text) {
        FilterExpression filter = FilterExpression.parse(text);
        return items.entrySet().stream().filter(e -> filter.matches(json(e.getValue()))).map(Map.Entry::getKey)
                .toList();
    }

    private static List<Object> nodesMatching(List<Map<String, Object>> items, String text) {
        FilterExpression filter = FilterExpression.parse(text);
        return items.stream().filter(item -> filter.matches(json(item))).map(item -> item.get("Node")).toList();
    }

    private static Map<String, Object> catalogEntry(String node, String address, Map<String, String> nodeMeta,
                                                    List<String> tags, String environment) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("Node", node);
        entry.put("Address", address);
        entry.put("Datacenter", "dc1");
        entry.put("NodeMeta", nodeMeta);
        entry.put("ServiceID", "api-internal");
        entry.put("ServiceName", "api-internal");
        entry.put("ServiceTags", tags);
        entry.put("ServiceMeta", Map.of("environment", environment));
        entry.put("ServicePort", 9090);
        entry.put("ServiceWeights", Map.of("Passing", 1, "Warning", 1));
        return entry;
    }
}
