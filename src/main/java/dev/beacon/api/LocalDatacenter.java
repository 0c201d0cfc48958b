package dev.beacon.api;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;

/**
 * The datacenter stage while Beacon knows one datacenter: requests for it run here, any other is refused as
 * Consul refuses a datacenter it has no path to. Counts what it routed, by route ({@code beacon.api.routed}).
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
        // The agent endpoints answer for this agent wherever it is; Consul ignores ?dc= on them.
        if (!request.datacenter().equals(datacenter) && !request.route().path().startsWith(AGENT_PATHS)) {
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "No path to datacenter");
        }
        return null;
    }
}
