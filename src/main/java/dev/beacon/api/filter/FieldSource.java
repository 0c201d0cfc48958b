package dev.beacon.api.filter;

import java.util.List;

/**
 * One item being filtered (a node, a service instance, a health result), seen through selectors. Keeping the
 * evaluator behind this interface lets it stay ignorant of Beacon's records: each endpoint maps the selectors its
 * Consul counterpart documents onto its own data, usually with a {@code switch} on the path.
 */
@FunctionalInterface
public interface FieldSource {

    /**
     * The value at a selector path such as {@code ["Service", "Meta", "version"]}, or {@link FieldValue#missing()}
     * if the path does not exist. Never {@code null}. The list is the parsed selector itself: do not modify it.
     */
    FieldValue get(List<String> path);
}
