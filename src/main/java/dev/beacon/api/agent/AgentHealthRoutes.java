package dev.beacon.api.agent;

import java.nio.charset.StandardCharsets;
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
 * passes, 429 if the worst is a warning, 503 if one is critical or the service or node is in maintenance, 404 if
 * none is registered here. The status carries the answer, so load balancers can probe it; the body says why, as
 * JSON (a list by name, one object by ID, as Consul answers) or, with {@code ?format=text}, as the status alone.
 */
@Component
class AgentHealthRoutes implements ApiRoutes {
    private static final String MAINTENANCE = "maintenance";
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
        String name = request.name("Missing service Name");
        request.caller().require(request.caller().permissions().serviceRead(name), "service:read", name);
        List<LocalHealth> entries = agent.services().stream().filter(s -> s.name().equals(name))
                .sorted(Comparator.comparing(ServiceDefinition::id)).map(this::localHealth).toList();
        String worst = null;
        for (LocalHealth entry : entries) {
            if (worst == null || httpStatus(entry.aggregatedStatus()) > httpStatus(worst)) {
                worst = entry.aggregatedStatus();
            }
        }
        if (worst == null) {
            return answer(request, 404, "ServiceName " + name + " Not Found", entries);
        }
        return answer(request, httpStatus(worst), worst, entries);
    }

    private CompletionStage<ApiResponse> byId(ApiRequest request) {
        String id = request.name("Missing serviceID");
        ServiceDefinition service = agent.service(id);
        if (service == null) {
            return answer(request, 404, "ServiceId " + id + " not found",
                    new LocalHealth(CheckStatus.CRITICAL.wireName(), null, null));
        }
        request.caller().require(request.caller().permissions().serviceRead(service.name()), "service:read",
                service.name());
        LocalHealth health = localHealth(service);
        return answer(request, httpStatus(health.aggregatedStatus()), health.aggregatedStatus(), health);
    }

    private LocalHealth localHealth(ServiceDefinition s) {
        List<HealthCheck> checks = agent.checks().stream()
                .filter(c -> c.serviceId().isEmpty() || c.serviceId().equals(s.id()))
                .toList();
        return new LocalHealth(aggregatedStatus(checks), json.service(s), checks.stream().map(json::check).toList());
    }

    /** Consul's rule: maintenance over critical over warning over passing (no checks at all is passing). */
    private static String aggregatedStatus(List<HealthCheck> checks) {
        CheckStatus worst = CheckStatus.PASSING;
        for (HealthCheck c : checks) {
            if (c.checkId().equals(LocalAgent.NODE_MAINTENANCE_ID)
                    || c.checkId().startsWith(LocalAgent.MAINTENANCE_PREFIX)) {
                return MAINTENANCE;
            }
            if (c.status().ordinal() > worst.ordinal()) {
                worst = c.status();
            }
        }
        return worst.wireName();
    }

    private static int httpStatus(String aggregatedStatus) {
        if (aggregatedStatus.equals(CheckStatus.PASSING.wireName())) {
            return HttpStatus.OK.value();
        }
        if (aggregatedStatus.equals(CheckStatus.WARNING.wireName())) {
            return HttpStatus.TOO_MANY_REQUESTS.value();
        }
        return HttpStatus.SERVICE_UNAVAILABLE.value();
    }

    private static CompletionStage<ApiResponse> answer(ApiRequest request, int status, String word, Object body) {
        ApiResponse response = "text".equals(request.params().get("format"))
                ? ApiResponse.raw(ApiResponse.TEXT, word.getBytes(StandardCharsets.UTF_8), ApiResponse.NOT_A_READ)
                : ApiResponse.json(body);
        return CompletableFuture.completedFuture(response.withStatus(status));
    }
}
