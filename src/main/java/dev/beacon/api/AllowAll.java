package dev.beacon.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The authorize stage while ACLs are off: every token may do everything, as in Consul with ACLs disabled.
 * Counts its decisions by route ({@code beacon.api.authorized}).
 */
public final class AllowAll implements Authorizer {
    private final MeterRegistry registry;
    private final Map<Route, Counter> allowed = new ConcurrentHashMap<>();

    public AllowAll(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ApiRequest authorize(ApiRequest request) {
        allowed.computeIfAbsent(request.route(), route -> Counter.builder("beacon.api.authorized")
                .description("/v1 requests by route, counted by the authorize stage")
                .tag("route", route.name()).tag("resource", route.resource().name())
                .tag("access", route.access().name()).tag("decision", "allow").register(registry)).increment();
        return request;
    }
}
