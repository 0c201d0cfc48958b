package dev.beacon.api;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;

/**
 * The datacenter stage for this datacenter: requests for it run here, any other is refused as Consul refuses a
 * datacenter it has no path to (a server with its WAN port off knows no other). Counts what it routed here, by
 * route ({@code beacon.api.routed}).
 */
public final class LocalDatacenter implements DatacenterRouting {
    private static final String AGENT_PATHS = "/v1/agent/";
    private final String datacenter;
    private final MeterRegistry registry;
    private final Map<Route, Counter> routed = new ConcurrentHashMap<>();

    public LocalDatacenter(String datacenter, MeterRegistry registry) {
        this.datacenter = datacenter;
        this.registry = registry;
    }

    @Override
    public CompletionStage<ApiResponse> forward(ApiRequest request) {
        routed.computeIfAbsent(request.route(), route -> Counter.builder("beacon.api.routed")
                .description("/v1 requests by route, counted by the datacenter stage")
                .tag("route", route.name()).register(registry)).increment();
        if (!runsHere(request)) {
            throw noPath();
        }
        return null;
    }

    /** Whether a request is for this datacenter, or for this agent, whose endpoints Consul answers whatever ?dc= is. */
    public boolean runsHere(ApiRequest request) {
        return request.datacenter().equals(datacenter) || request.route().path().startsWith(AGENT_PATHS);
    }

    /** Consul's answer for a datacenter it knows no (live) server of. */
    public static ApiException noPath() {
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "No path to datacenter");
    }
}
