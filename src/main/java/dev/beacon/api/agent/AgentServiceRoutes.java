package dev.beacon.api.agent;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.beacon.agent.LocalAgent;
import dev.beacon.agent.ServiceDefinition;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Caller;
import dev.beacon.api.QueryParams;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.api.catalog.ItemFilters;
import dev.beacon.api.filter.FilterExpression;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consul's agent service endpoints: services registered on the node that receives the request, and maintenance
 * mode for one of them or for the whole node. What the agent writes reaches the catalog through Raft.
 */
@Component
class AgentServiceRoutes implements ApiRoutes {
    private final LocalAgent agent;
    private final AgentRequests requests;
    private final AgentJson json;

    AgentServiceRoutes(LocalAgent agent, JsonMapper mapper) {
        this.agent = agent;
        this.requests = new AgentRequests(mapper);
        this.json = new AgentJson(agent);
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.write("PUT", "/v1/agent/service/register", Route.Resource.SERVICE, this::register)
                .write("PUT", "/v1/agent/service/deregister/", Route.Resource.SERVICE, 0, this::deregister)
                .get("/v1/agent/services", Route.Resource.SERVICE, this::services)
                .get("/v1/agent/service/", Route.Resource.SERVICE, this::service)
                .write("PUT", "/v1/agent/service/maintenance/", Route.Resource.SERVICE, 0, this::maintenance)
                // Consul asks node:write for node maintenance: it takes every service of the node out.
                .write("PUT", "/v1/agent/maintenance", Route.Resource.NODE, 0, this::nodeMaintenance);
    }

    private CompletionStage<ApiResponse> register(ApiRequest request) {
        ServiceDefinition service = requests.service(request.body(), request.token());
        requireWrite(request.caller(), service.name());
        return AgentWrites.answer(agent.register(service, request.params().flag("replace-existing-checks")));
    }

    private CompletionStage<ApiResponse> deregister(ApiRequest request) {
        String id = request.tail();
        requireService(id);
        requireWrite(request.caller(), agent.service(id).name());
        return AgentWrites.answer(agent.deregister(id));
    }

    private CompletionStage<ApiResponse> services(ApiRequest request) {
        FilterExpression filter = ItemFilters.parse(request, ItemFilters.NODE_SERVICE);
        Map<String, AgentJson.AgentService> services = new LinkedHashMap<>();
        Caller caller = request.caller();
        Caller.Filtered<ServiceDefinition> visible = caller.filter(List.copyOf(agent.services()),
                s -> caller.permissions().serviceRead(s.name()));
        visible.items().stream().sorted(Comparator.comparing(ServiceDefinition::id))
                .filter(s -> filter == null || filter.matches(ItemFilters.nodeService(agent.catalogInstance(s))))
                .forEach(s -> services.put(s.id(), json.service(s)));
        return CompletableFuture.completedFuture(ApiResponse.json(services).filteredByAcls(visible.dropped()));
    }

    private CompletionStage<ApiResponse> service(ApiRequest request) {
        String id = request.tail();
        ServiceDefinition service = agent.service(id);
        if (service == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "unknown service ID: " + id);
        }
        request.caller().require(request.caller().permissions().serviceRead(service.name()), "service:read",
                service.name());
        return CompletableFuture.completedFuture(ApiResponse.json(json.service(service)));
    }

    private CompletionStage<ApiResponse> maintenance(ApiRequest request) {
        QueryParams params = request.params();
        requireEnable(params);
        String id = request.tail();
        requireService(id);
        requireWrite(request.caller(), agent.service(id).name());
        return AgentWrites.answer(agent.maintenance(id, params.flag("enable"), params.get("reason"),
                request.token()));
    }

    private CompletionStage<ApiResponse> nodeMaintenance(ApiRequest request) {
        QueryParams params = request.params();
        requireEnable(params);
        String node = agent.self().name();
        request.caller().require(request.caller().permissions().nodeWrite(node), "node:write", node);
        return AgentWrites.answer(agent.nodeMaintenance(params.flag("enable"), params.get("reason"),
                request.token()));
    }

    /** Consul requires {@code ?enable} on both maintenance calls: there is no default to fall back on. */
    private static void requireEnable(QueryParams params) {
        if (!params.has("enable")) {
            throw ApiException.badRequest("Missing value for enable");
        }
    }

    private static void requireWrite(Caller caller, String service) {
        caller.require(caller.permissions().serviceWrite(service), "service:write", service);
    }

    private void requireService(String id) {
        if (agent.service(id) == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "Unknown service ID \"" + id + "\"");
        }
    }
}
