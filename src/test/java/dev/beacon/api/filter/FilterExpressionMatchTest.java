package dev.beacon.api.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterExpressionMatchTest {

    /** A health result as Consul renders it, with a decimal and a negative number added for the number cases. */
    private static final FieldSource RESULT = json(Map.of(
            "Node", Map.of("Node", "node-1", "Address", "10.0.0.1", "Meta", Map.of("rack", "r1", "os", "linux")),
            "Service", Map.of("ID", "web-1", "Service", "web", "Tags", List.of("primary", "v2"), "Port", 8080,
                    "EnableTagOverride", true, "Address", "", "Weight", 0.5, "Offset", -3,
                    "Meta", Map.of("version", "1.2.3", "my.key", "dotted")),
            "Checks", List.of(
                    Map.of("CheckID", "serfHealth", "Status", "passing", "ServiceTags", List.of()),
                    Map.of("CheckID", "service:web-1", "Status", "critical",
                            "ServiceTags", List.of("primary", "v2")))));

    static Stream<Arguments> cases() {
        return Stream.of(
                // == and != on strings: exact and case-sensitive, quoted or bare
                arguments("Service.Service == web", true),
                arguments("Service.Service == \"web\"", true),
                arguments("Service.Service == `web`", true),
                arguments("Service.Service == \"Web\"", false),
                arguments("Service.Service != web", false),
                arguments("Service.Service != db", true),
                arguments("Service.Address == \"\"", true),
                arguments("Node.Address == \"10.0.0.1\"", true),
                // numbers: the value is converted to the field's type with Go's rules
                arguments("Service.Port == 8080", true),
                arguments("Service.Port == \"8080\"", true),
                arguments("Service.Port == \"0x1F90\"", true),
                arguments("Service.Port == \"8_080\"", true),
                arguments("Service.Port == 8081", false),
                arguments("Service.Port != 8081", true),
                arguments("Service.Port == 8080.0", false),
                arguments("Service.Port == abc", false),
                arguments("Service.Port != abc", true),
                arguments("Service.Offset == -3", true),
                arguments("Service.Weight == 0.5", true),
                arguments("Service.Weight == \"5e-1\"", true),
                arguments("Service.Weight == 1", false),
                // booleans: Go's ParseBool spellings
                arguments("Service.EnableTagOverride == true", true),
                arguments("Service.EnableTagOverride == \"true\"", true),
                arguments("Service.EnableTagOverride == T", true),
                arguments("Service.EnableTagOverride == 1", true),
                arguments("Service.EnableTagOverride == false", false),
                arguments("Service.EnableTagOverride != false", true),
                arguments("Service.EnableTagOverride == yes", false),
                // in / contains: list element, map key, substring
                arguments("\"primary\" in Service.Tags", true),
                arguments("primary in Service.Tags", true),
                arguments("\"primary\" not in Service.Tags", false),
                arguments("\"prim\" in Service.Tags", false),
                arguments("Service.Tags contains v2", true),
                arguments("Service.Tags contains v3", false),
                arguments("Service.Tags not contains v3", true),
                arguments("Service.Tags not contains v2", false),
                arguments("\"version\" in Service.Meta", true),
                arguments("\"1.2.3\" in Service.Meta", false),
                arguments("\"os\" not in Node.Meta", false),
                arguments("\"eb\" in Service.Service", true),
                arguments("Service.Service contains \"x\"", false),
                arguments("Service.Service not contains \"x\"", true),
                arguments("\"8\" in Service.Port", false),
                // is empty
                arguments("Service.Tags is empty", false),
                arguments("Service.Tags is not empty", true),
                arguments("Service.Address is empty", true),
                arguments("Service.Service is empty", false),
                arguments("Service.Meta is empty", false),
                arguments("Service.Meta is not empty", true),
                arguments("Checks is empty", false),
                arguments("Checks is not empty", true),
                // matches: java.util.regex, found anywhere unless anchored
                arguments("Service.Service matches \"^w.b$\"", true),
                arguments("Service.Service matches eb", true),
                arguments("Service.Service matches \"^eb\"", false),
                arguments("Service.Service not matches \"^db\"", true),
                arguments("Service.Service not matches \"^web$\"", false),
                arguments("Service.Meta.version matches \"^1\\\\.2\\\\.\"", true),
                arguments("Service.Meta.version matches `^1\\.2\\.`", true),
                arguments("Service.Meta.version matches `^1\\.3`", false),
                arguments("Service.Service matches \"(?i)^WEB$\"", true),
                arguments("Service.Tags matches \"primary\"", false),
                // a map key that is not there
                arguments("Service.Meta.nope == \"\"", false),
                arguments("Service.Meta.nope != \"x\"", true),
                arguments("\"a\" in Service.Meta.nope", false),
                arguments("\"a\" not in Service.Meta.nope", true),
                arguments("Service.Meta.nope is empty", true),
                arguments("Service.Meta.nope is not empty", false),
                arguments("Service.Meta.nope matches \".*\"", false),
                arguments("Service.Meta.nope not matches \".*\"", true),
                arguments("Node.Meta.rack is not empty", true),
                // map keys that are not names
                arguments("Service.Meta[\"my.key\"] == dotted", true),
                arguments("Service.Meta[`version`] == \"1.2.3\"", true),
                arguments("Service[\"Meta\"][\"version\"] == \"1.2.3\"", true),
                // a field of a list of structs holds if it holds for any element, operator as written
                arguments("Checks.Status == passing", true),
                arguments("Checks.Status == critical", true),
                arguments("Checks.Status == warning", false),
                arguments("Checks.Status != passing", true),
                arguments("not Checks.Status == critical", false),
                arguments("\"pass\" in Checks.Status", true),
                arguments("\"primary\" in Checks.ServiceTags", true),
                arguments("\"v3\" not in Checks.ServiceTags", true),
                arguments("Checks.ServiceTags is empty", true),
                arguments("Checks.CheckID matches \"^serf\"", true),
                arguments("Checks.CheckID matches \"^node\"", false),
                // precedence: not, then and, then or
                arguments("Service.Service == web or Service.Port == 1 and Service.Port == 2", true),
                arguments("(Service.Service == web or Service.Port == 1) and Service.Port == 2", false),
                arguments("not Service.Service == web and Service.Port == 1", false),
                arguments("not (Service.Service == web and Service.Port == 1)", true),
                arguments("not not Service.Service == web", true),
                arguments("Service.Port == 1 or Service.Port == 2 or Service.Port == 8080", true),
                arguments("Service.Port == 8080 and Service.Service == web and \"v2\" in Service.Tags", true),
                arguments("Service.Port == 8080 and Service.Service == web and \"v3\" in Service.Tags", false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("cases")
    void evaluatesAgainstAHealthResult(String filter, boolean expected) {
        assertThat(FilterExpression.parse(filter).matches(RESULT)).isEqualTo(expected);
    }

    @Test
    void andOrAndNotBindAsConsulDocumentsForEveryAssignment() {
        FilterExpression bare = FilterExpression.parse("a == true and not b == true or c == true");
        FilterExpression grouped = FilterExpression.parse("( a == true and (not b == true )) or c == true");
        for (int bits = 0; bits < 8; bits++) {
            boolean a = (bits & 1) != 0;
            boolean b = (bits & 2) != 0;
            boolean c = (bits & 4) != 0;
            FieldSource item = json(Map.of("a", a, "b", b, "c", c));
            assertThat(bare.matches(item)).as("a=%s b=%s c=%s", a, b, c).isEqualTo(a && !b || c);
            assertThat(grouped.matches(item)).isEqualTo(bare.matches(item));
        }
    }

    @Test
    void aFieldOfAnEmptyListOfStructsMatchesNothingNotEvenANegation() {
        FieldSource noChecks = path -> path.get(0).equals("Checks") && path.size() > 1
                ? FieldValue.anyOf(List.of()) : FieldValue.structs(0);

        assertThat(FilterExpression.parse("Checks.Status == passing").matches(noChecks)).isFalse();
        assertThat(FilterExpression.parse("Checks.Status != passing").matches(noChecks)).isFalse();
        assertThat(FilterExpression.parse("Checks.ServiceTags is empty").matches(noChecks)).isFalse();
        assertThat(FilterExpression.parse("not Checks.Status == passing").matches(noChecks)).isTrue();
        assertThat(FilterExpression.parse("Checks is empty").matches(noChecks)).isTrue();
    }

    @Test
    void nullStringsListsAndMapsAreGosZeroValues() {
        FieldSource zero = path -> switch (path.get(0)) {
            case "Name" -> FieldValue.of((String) null);
            case "Tags" -> FieldValue.of((List<String>) null);
            default -> FieldValue.of((Map<String, String>) null);
        };

        assertThat(FilterExpression.parse("Name == \"\" and Name is empty").matches(zero)).isTrue();
        assertThat(FilterExpression.parse("Tags is empty and \"x\" not in Tags").matches(zero)).isTrue();
        assertThat(FilterExpression.parse("Meta is empty and \"x\" not in Meta").matches(zero)).isTrue();
    }

    @Test
    void aSourceThatAnswersNullIsAProgrammingError() {
        FilterExpression filter = FilterExpression.parse("a == b");

        assertThatThrownBy(() -> filter.matches(path -> null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("FieldValue.missing()");
    }

    @Test
    void theSourceIsAskedForTheParsedPath() {
        FilterExpression filter = FilterExpression.parse("Service.Meta[\"my.key\"] == x");
        List<List<String>> asked = new java.util.ArrayList<>();

        filter.matches(path -> {
            asked.add(path);
            return FieldValue.missing();
        });

        assertThat(asked).containsExactly(List.of("Service", "Meta", "my.key"));
    }

    /**
     * A {@link FieldSource} over JSON-like maps, lists and scalars, shaped as go-bexpr walks Go values: a key absent
     * from a map is missing, a list of maps fans a selector out to its elements, and is a list of structs as a
     * whole.
     */
    static FieldSource json(Map<String, ?> root) {
        return path -> walk(root, path, 0);
    }

    private static FieldValue walk(Object value, List<String> path, int at) {
        if (at == path.size()) {
            return leaf(value);
        }
        if (value instanceof Map<?, ?> map) {
            Object child = map.get(path.get(at));
            return child == null ? FieldValue.missing() : walk(child, path, at + 1);
        }
        if (value instanceof List<?> list) {
            return FieldValue.anyOf(list, element -> walk(element, path, at));
        }
        return FieldValue.missing();
    }

    @SuppressWarnings("unchecked")
    private static FieldValue leaf(Object value) {
        if (value instanceof String s) {
            return FieldValue.of(s);
        }
        if (value instanceof Integer || value instanceof Long) {
            return FieldValue.of(((Number) value).longValue());
        }
        if (value instanceof Double d) {
            return FieldValue.of(d.doubleValue());
        }
        if (value instanceof Boolean b) {
            return FieldValue.of(b.booleanValue());
        }
        if (value instanceof Map<?, ?> map) {
            return FieldValue.of((Map<String, ?>) map);
        }
        List<?> list = (List<?>) value;
        return !list.isEmpty() && list.get(0) instanceof Map ? FieldValue.structs(list.size())
                : FieldValue.of((List<String>) list);
    }
}
