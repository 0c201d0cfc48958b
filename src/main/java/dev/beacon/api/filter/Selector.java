package dev.beacon.api.filter;

import java.util.List;

/**
 * A parsed selector: the field names and map keys from {@code Service.Meta["my.key"]}, here
 * {@code [Service, Meta, my.key]}. The path is what a {@link FieldSource} is asked about, kept immutable so the
 * same list can be handed out on every evaluation without copying.
 */
record Selector(List<String> path) {

    Selector {
        path = List.copyOf(path);
    }

    /** go-bexpr's rendering, the names joined by dots; it is also the text of a selector used as a value. */
    @Override
    public String toString() {
        return String.join(".", path);
    }
}
