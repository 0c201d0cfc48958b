package dev.beacon.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.web.util.UriUtils;

/**
 * Every {@code /v1} route, found by exact path first, then by the longest prefix. Built once at start; a route
 * registered twice is refused then, so two features can never silently claim the same path.
 */
public final class RouteTable {
    private final Map<String, Map<String, Route>> exact;
    private final List<Map.Entry<String, Map<String, Route>>> prefixes;

    private RouteTable(Map<String, Map<String, Route>> exact, Map<String, Map<String, Route>> byPrefix) {
        this.exact = exact;
        this.prefixes = new ArrayList<>(byPrefix.entrySet());
        prefixes.sort(Comparator.comparingInt((Map.Entry<String, Map<String, Route>> e) -> e.getKey().length())
                .reversed());
    }

    /** A route and the percent-decoded rest of the path after its prefix. */
    public record Match(Route route, String tail) {
    }

    /**
     * The route for a request. {@code rawPath} is the path as sent (still percent-encoded, so that a {@code %2F}
     * inside a KV key stays part of the key).
     *
     * @throws ApiException 404 when no route has the path, 405 when none has it for this method
     */
    public Match find(String method, String rawPath) {
        Map<String, Route> byMethod = exact.get(rawPath);
        if (byMethod != null) {
            return new Match(methodOf(byMethod, method), "");
        }
        for (Map.Entry<String, Map<String, Route>> prefix : prefixes) {
            if (rawPath.startsWith(prefix.getKey())) {
                Route route = methodOf(prefix.getValue(), method);
                String tail = rawPath.substring(prefix.getKey().length());
                return new Match(route, tail.indexOf('%') < 0 ? tail : decode(tail));
            }
        }
        throw new ApiException(HttpStatus.NOT_FOUND, "Not found: " + rawPath);
    }

    private static String decode(String rawTail) {
        try {
            return UriUtils.decode(rawTail, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid URL path encoding: " + rawTail);
        }
    }

    /** Every route once, sorted by path and method. */
    public List<Route> routes() {
        Set<Route> all = new HashSet<>();
        exact.values().forEach(m -> all.addAll(m.values()));
        prefixes.forEach(e -> all.addAll(e.getValue().values()));
        return all.stream().sorted(Comparator.comparing(Route::path).thenComparing(Route::method)).toList();
    }

    private static Route methodOf(Map<String, Route> byMethod, String method) {
        Route route = byMethod.get(method);
        if (route == null) {
            throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "method " + method + " not allowed");
        }
        return route;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the routes every feature registers. */
    public static final class Builder {
        private final Map<String, Map<String, Route>> exact = new HashMap<>();
        private final Map<String, Map<String, Route>> byPrefix = new HashMap<>();

        public Builder add(Route route) {
            if (!route.path().startsWith("/v1/")) {
                throw new IllegalArgumentException("not a /v1 route: " + route.path());
            }
            Map<String, Map<String, Route>> table = route.isPrefix() ? byPrefix : exact;
            Route old = table.computeIfAbsent(route.path(), p -> new HashMap<>()).putIfAbsent(route.method(), route);
            if (old != null) {
                throw new IllegalStateException("route registered twice: " + route.name());
            }
            return this;
        }

        public Builder get(String path, Route.Resource resource, Route.Handler handler) {
            return add(new Route("GET", path, resource, Route.Access.READ, 0, handler));
        }

        /** A write that takes a body of up to {@link Route#MAX_BODY}. */
        public Builder write(String method, String path, Route.Resource resource, Route.Handler handler) {
            return write(method, path, resource, Route.MAX_BODY, handler);
        }

        public Builder write(String method, String path, Route.Resource resource, int maxBody,
                             Route.Handler handler) {
            return add(new Route(method, path, resource, Route.Access.WRITE, maxBody, handler));
        }

        public RouteTable build() {
            Map<String, Map<String, Route>> withBarePrefixes = new HashMap<>(exact);
            // A prefix route also answers its bare path: /v1/kv with no key lists from the root.
            byPrefix.forEach((prefix, routes) -> withBarePrefixes.putIfAbsent(prefix.substring(0, prefix.length() - 1),
                    routes));
            return new RouteTable(Map.copyOf(withBarePrefixes), Map.copyOf(byPrefix));
        }
    }
}
