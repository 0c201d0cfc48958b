package dev.beacon.api.filter;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The selectors one endpoint's items answer, with their types: what Consul derives from the Go type it filters
 * (by reflection) and Beacon declares, once per endpoint, from the table in Consul's API documentation. Build it
 * once and keep it in a constant:
 * <pre>{@code
 * static final SelectorSchema HEALTH_SERVICE = SelectorSchema.builder()
 *         .string("Node.Node", "Node.Address", "Service.ID", "Service.Service")
 *         .stringMap("Node.Meta", "Service.Meta")
 *         .integer("Service.Port")
 *         .bool("Service.EnableTagOverride")
 *         .stringList("Service.Tags")
 *         .structList("Checks")
 *         .string("Checks.Status", "Checks.CheckID")
 *         .stringList("Checks.ServiceTags")
 *         .build();
 * }</pre>
 * A path segment {@code *} stands for any key of the map above it; {@link Builder#stringMap} declares
 * {@code Meta.*} for you. Fields that are only containers ({@code Node}, {@code Service}) need no declaration.
 */
public final class SelectorSchema {
    private static final String ANY_KEY = "*";

    private final Field root;

    private SelectorSchema(Field root) {
        this.root = root;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Refuses {@code match} in the words go-bexpr v0.1.2 uses, which Consul's 400 answers carry. */
    void check(Match match) {
        List<String> path = match.selector().path();
        Field field = root;
        for (int i = 0; i < path.size(); i++) {
            Field next = field.children().getOrDefault(path.get(i), field.children().get(ANY_KEY));
            if (next == null) {
                throw FilterSyntaxException.invalid(match.position(),
                        "Selector " + GoQuote.quote(String.join(".", path.subList(0, i + 1))) + " is not valid");
            }
            field = next;
        }
        String selector = GoQuote.quote(match.selector().toString());
        if (!field.kind().allows(match.operator())) {
            throw FilterSyntaxException.invalid(match.position(), "Invalid match operator "
                    + GoQuote.quote(match.operator().goName()) + " for selector " + selector);
        }
        if (!field.kind().accepts(match.value())) {
            throw FilterSyntaxException.invalid(match.position(), "Failed to coerce value "
                    + GoQuote.quote(match.value().text()) + " for selector " + selector + ": not "
                    + field.kind().description());
        }
    }

    private record Field(FieldKind kind, Map<String, Field> children) {
    }

    /** Declares fields by their dotted selector; each method takes any number of them. */
    public static final class Builder {
        private final Map<List<String>, FieldKind> declared = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder string(String... selectors) {
            return declare(FieldKind.STRING, selectors);
        }

        /** A Go integer field: compared after ParseInt, so {@code == abc} is refused. */
        public Builder integer(String... selectors) {
            return declare(FieldKind.INTEGER, selectors);
        }

        /** A Go float field. */
        public Builder decimal(String... selectors) {
            return declare(FieldKind.DECIMAL, selectors);
        }

        public Builder bool(String... selectors) {
            return declare(FieldKind.BOOLEAN, selectors);
        }

        /** A list of strings such as {@code Service.Tags}: only {@code in} and {@code is empty}, and negations. */
        public Builder stringList(String... selectors) {
            return declare(FieldKind.STRING_LIST, selectors);
        }

        /** A {@code map[string]string} such as {@code Service.Meta}, with every key selectable as a string. */
        public Builder stringMap(String... selectors) {
            declare(FieldKind.MAP, selectors);
            for (String selector : selectors) {
                declare(FieldKind.STRING, selector + "." + ANY_KEY);
            }
            return this;
        }

        /** A map of structs; declare what its values hold under {@code <selector>.*}. */
        public Builder map(String... selectors) {
            return declare(FieldKind.MAP, selectors);
        }

        /** A list of structs such as {@code Checks}; declare its elements' fields under {@code <selector>.<field>}. */
        public Builder structList(String... selectors) {
            return declare(FieldKind.STRUCT_LIST, selectors);
        }

        /** @throws IllegalArgumentException where declarations contradict each other */
        public SelectorSchema build() {
            Draft root = new Draft();
            declared.forEach((path, kind) -> {
                Draft node = root;
                for (String name : path) {
                    node = node.children.computeIfAbsent(name, n -> new Draft());
                }
                node.kind = kind;
            });
            return new SelectorSchema(root.freeze(""));
        }

        private Builder declare(FieldKind kind, String... selectors) {
            for (String selector : selectors) {
                List<String> path = List.of(selector.split("\\.", -1));
                if (path.contains("")) {
                    throw new IllegalArgumentException("Not a selector: \"" + selector + "\"");
                }
                FieldKind previous = declared.putIfAbsent(path, kind);
                if (previous != null && previous != kind) {
                    throw new IllegalArgumentException(selector + " is declared both as " + previous.description()
                            + " and as " + kind.description());
                }
            }
            return this;
        }
    }

    /** A field while the schema is being assembled: containers start as structs until declared otherwise. */
    private static final class Draft {
        private FieldKind kind = FieldKind.STRUCT;
        private final Map<String, Draft> children = new LinkedHashMap<>();

        Field freeze(String name) {
            if (!children.isEmpty() && !kind.hasSubFields()) {
                throw new IllegalArgumentException(name + " is " + kind.description() + " and has no fields");
            }
            Map<String, Field> frozen = new HashMap<>();
            children.forEach((key, child) -> frozen.put(key, child.freeze(name.isEmpty() ? key : name + "." + key)));
            return new Field(kind, Map.copyOf(frozen));
        }
    }
}
