package dev.beacon.api.agent;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.beacon.agent.CheckResult;
import dev.beacon.agent.LocalAgent;
import dev.beacon.agent.CheckDefinition;
import dev.beacon.agent.ServiceDefinition;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Caller;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.api.catalog.CatalogJson;
import dev.beacon.api.catalog.ItemFilters;
import dev.beacon.api.filter.FilterExpression;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.HealthCheck;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consul's agent check endpoints: checks registered on the node that receives the request, and the results
 * clients report for them (TTL heartbeats and updates).
 *
 * <p>Consul asks node:write for a node's own checks and service:write for a service's; a route names one
 * resource, so these name the node, where every agent check lives.
 */
@Component
class AgentCheckRoutes implements ApiRoutes {
    private final LocalAgent agent;
    private final AgentRequests requests;
    private final AgentJson json;

    AgentCheckRoutes(LocalAgent agent, JsonMapper mapper) {
        this.agent = agent;
        this.requests = new AgentRequests(mapper);
        this.json = new AgentJson(agent);
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.get("/v1/agent/checks", Route.Resource.NODE, this::checks)
                .write("PUT", "/v1/agent/check/register", Route.Resource.NODE, this::register)
                .write("PUT", "/v1/agent/check/deregister/", Route.Resource.NODE, 0, this::deregister)
                .write("PUT", "/v1/agent/check/pass/", Route.Resource.NODE, 0, heartbeat(CheckStatus.PASSING))
                .write("PUT", "/v1/agent/check/warn/", Route.Resource.NODE, 0, heartbeat(CheckStatus.WARNING))
                .write("PUT", "/v1/agent/check/fail/", Route.Resource.NODE, 0, heartbeat(CheckStatus.CRITICAL))
                .write("PUT", "/v1/agent/check/update/", Route.Resource.NODE, this::update);
    }

    private CompletionStage<ApiResponse> checks(ApiRequest request) {
        FilterExpression filter = ItemFilters.parse(request, ItemFilters.CHECK);
        Map<String, CatalogJson.CheckJson> checks = new LinkedHashMap<>();
        Caller caller = request.caller();
        Caller.Filtered<HealthCheck> visible = caller.filter(List.copyOf(agent.checks()), c -> c.serviceId().isEmpty()
                ? caller.permissions().nodeRead(c.node()) : caller.permissions().serviceRead(c.serviceName()));
        visible.items().stream().sorted(Comparator.comparing(HealthCheck::checkId))
                .filter(c -> filter == null || filter.matches(ItemFilters.check(json.named(c), json.serviceTags(c))))
                .forEach(c -> checks.put(c.checkId(), json.check(c)));
        return CompletableFuture.completedFuture(ApiResponse.json(checks).filteredByAcls(visible.dropped()));
    }

    private CompletionStage<ApiResponse> register(ApiRequest request) {
        CheckDefinition check = requests.check(request.body(), request.token());
        requireWrite(request.caller(), check.serviceId());
        return AgentWrites.answer(agent.registerCheck(check));
    }

    private CompletionStage<ApiResponse> deregister(ApiRequest request) {
        String id = request.tail();
        requireCheck(request, id);
        return AgentWrites.answer(agent.deregisterCheck(id));
    }

    /** A TTL heartbeat: {@code ?note=} becomes the check's output. */
    private Route.Handler heartbeat(CheckStatus status) {
        return request -> {
            String id = request.tail();
            requireTtlCheck(request, id);
            String note = request.params().get("note");
            return AgentWrites.answer(agent.report(id, new CheckResult(status, note == null ? "" : note)));
        };
    }

    private CompletionStage<ApiResponse> update(ApiRequest request) {
        String id = request.tail();
        requireTtlCheck(request, id);
        return AgentWrites.answer(agent.report(id, requests.result(request.body())));
    }

    /** The check must exist, and the caller may write what it belongs to. */
    private CheckDefinition requireCheck(ApiRequest request, String id) {
        CheckDefinition check = agent.check(id);
        if (check == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "Unknown check ID \"" + id
                    + "\". Ensure that the check ID is passed, not the check name.");
        }
        requireWrite(request.caller(), check.serviceId());
        return check;
    }

    /**
     * Only a TTL check takes its result from outside, as in Consul: an HTTP, TCP or gRPC check (or a maintenance
     * mark) would be overwritten by its next run, so Consul refuses, and clients read the refusal.
     */
    private void requireTtlCheck(ApiRequest request, String id) {
        if (requireCheck(request, id).ttl() == null) {
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR,
                    "CheckID \"" + id + "\" does not have associated TTL");
        }
    }

    /** As Consul: a service's check needs service:write on the service, a node check node:write on this node. */
    private void requireWrite(Caller caller, String serviceId) {
        ServiceDefinition service = serviceId == null || serviceId.isEmpty() ? null : agent.service(serviceId);
        if (service != null) {
            caller.require(caller.permissions().serviceWrite(service.name()), "service:write", service.name());
        } else {
            String node = agent.self().name();
            caller.require(caller.permissions().nodeWrite(node), "node:write", node);
        }
    }
}
