package dev.beacon.api.agent;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.agent.LocalAgent;
import dev.beacon.agent.ServiceDefinition;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.api.catalog.CatalogJson;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.HealthCheck;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The agent's own view of its instances of a service, without a round trip to the servers: 200 if every check
 * passes, 429 if the worst is a warning, 503 if one is critical, 404 if none is registered here. The status
 * carries the answer, so load balancers can probe it; the body says why.
 */
@Component
class AgentHealthRoutes implements ApiRoutes {
    private final LocalAgent agent;
    private final AgentJson json;

    AgentHealthRoutes(LocalAgent agent) {
        this.agent = agent;
        this.json = new AgentJson(agent);
    }

    record LocalHealth(@JsonProperty("AggregatedStatus") String aggregatedStatus,
                       @JsonProperty("Service") AgentJson.AgentService service,
                       @JsonProperty("Checks") List<CatalogJson.CheckJson> checks) {
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.get("/v1/agent/health/service/name/", Route.Resource.SERVICE, this::byName)
                .get("/v1/agent/health/service/id/", Route.Resource.SERVICE, this::byId);
    }

    private CompletionStage<ApiResponse> byName(ApiRequest request) {
        String name = request.tail();
        request.caller().require(request.caller().permissions().serviceRead(name), "service:read", name);
        return answer(agent.services().stream().filter(s -> s.name().equals(name))
                .sorted(Comparator.comparing(ServiceDefinition::id)).map(this::localHealth).toList());
    }

    private CompletionStage<ApiResponse> byId(ApiRequest request) {
        ServiceDefinition service = agent.service(request.tail());
        if (service != null) {
            request.caller().require(request.caller().permissions().serviceRead(service.name()), "service:read",
                    service.name());
        }
        return answer(service == null ? List.of() : List.of(localHealth(service)));
    }

    private LocalHealth localHealth(ServiceDefinition s) {
        List<HealthCheck> checks = agent.checks().stream()
                .filter(c -> c.serviceId().isEmpty() || c.serviceId().equals(s.id()))
                .toList();
        CheckStatus worst = CheckStatus.PASSING;
        for (HealthCheck c : checks) {
            if (c.status().ordinal() > worst.ordinal()) {
                worst = c.status();
            }
        }
        return new LocalHealth(worst.wireName(), json.service(s), checks.stream().map(json::check).toList());
    }

    private static CompletionStage<ApiResponse> answer(List<LocalHealth> entries) {
        HttpStatus status;
        if (entries.isEmpty()) {
            status = HttpStatus.NOT_FOUND;
        } else if (entries.stream().anyMatch(e -> e.aggregatedStatus().equals(CheckStatus.CRITICAL.wireName()))) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
        } else if (entries.stream().anyMatch(e -> e.aggregatedStatus().equals(CheckStatus.WARNING.wireName()))) {
            status = HttpStatus.TOO_MANY_REQUESTS;
        } else {
            status = HttpStatus.OK;
        }
        return CompletableFuture.completedFuture(ApiResponse.json(entries).withStatus(status.value()));
    }
}
