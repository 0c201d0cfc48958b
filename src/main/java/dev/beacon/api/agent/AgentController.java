package dev.beacon.api.agent;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.agent.CheckResult;
import dev.beacon.agent.LocalAgent;
import dev.beacon.agent.ServiceDefinition;
import dev.beacon.api.ApiException;
import dev.beacon.api.JsonFields;
import dev.beacon.api.QueryParams;
import dev.beacon.api.RequestBodies;
import dev.beacon.api.catalog.CatalogJson;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Outcome;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consul's agent endpoints: services and checks registered on the node that receives the request, TTL
 * heartbeats, and maintenance mode. What the agent writes reaches the catalog through Raft.
 */
@RestController
@RequestMapping("/v1/agent")
class AgentController {
    private static final int MAX_BODY_BYTES = 512 * 1024;
    private static final String TOO_LARGE = "Request body too large, max size: " + MAX_BODY_BYTES + " bytes";

    private final LocalAgent agent;
    private final AgentRequests requests;
    private final JsonMapper json;

    AgentController(LocalAgent agent, JsonMapper json) {
        this.agent = agent;
        this.requests = new AgentRequests(json);
        this.json = json;
    }

    record AgentService(@JsonProperty("ID") String id, @JsonProperty("Service") String service,
                        @JsonProperty("Tags") List<String> tags, @JsonProperty("Meta") Map<String, String> meta,
                        @JsonProperty("Port") int port, @JsonProperty("Address") String address,
                        @JsonProperty("EnableTagOverride") boolean enableTagOverride,
                        @JsonProperty("Datacenter") String datacenter) {
    }

    @PutMapping("/service/register")
    CompletableFuture<ResponseEntity<String>> register(HttpServletRequest request) throws IOException {
        QueryParams params = QueryParams.of(request, Set.of("replace-existing-checks"));
        ServiceDefinition service = requests.service(RequestBodies.read(request, MAX_BODY_BYTES, TOO_LARGE));
        return agent.register(service, params.flag("replace-existing-checks")).thenApply(AgentController::ok);
    }

    @PutMapping("/service/deregister/{id}")
    CompletableFuture<ResponseEntity<String>> deregister(@PathVariable String id, HttpServletRequest request) {
        QueryParams.of(request, Set.of());
        if (agent.service(id) == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "Unknown service ID \"" + id + "\"");
        }
        return agent.deregister(id).thenApply(AgentController::ok);
    }

    @GetMapping("/services")
    Map<String, AgentService> services(HttpServletRequest request) {
        QueryParams.of(request, Set.of());
        Map<String, AgentService> services = new LinkedHashMap<>();
        agent.services().stream().sorted((a, b) -> a.id().compareTo(b.id()))
                .forEach(s -> services.put(s.id(), json(s)));
        return services;
    }

    @GetMapping("/service/{id}")
    AgentService service(@PathVariable String id, HttpServletRequest request) {
        QueryParams.of(request, Set.of());
        ServiceDefinition service = agent.service(id);
        if (service == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "unknown service ID: " + id);
        }
        return json(service);
    }

    @GetMapping("/checks")
    Map<String, CatalogJson.CheckJson> checks(HttpServletRequest request) {
        QueryParams.of(request, Set.of());
        Map<String, CatalogJson.CheckJson> checks = new LinkedHashMap<>();
        agent.checks().stream().sorted((a, b) -> a.checkId().compareTo(b.checkId()))
                .forEach(c -> checks.put(c.checkId(), CatalogJson.CheckJson.of(named(c), tagsOf(c))));
        return checks;
    }

    @PutMapping("/check/register")
    CompletableFuture<ResponseEntity<String>> registerCheck(HttpServletRequest request) throws IOException {
        QueryParams.of(request, Set.of());
        return agent.registerCheck(requests.check(RequestBodies.read(request, MAX_BODY_BYTES, TOO_LARGE)))
                .thenApply(AgentController::ok);
    }

    @PutMapping("/check/deregister/{id}")
    CompletableFuture<ResponseEntity<String>> deregisterCheck(@PathVariable String id, HttpServletRequest request) {
        QueryParams.of(request, Set.of());
        requireCheck(id);
        return agent.deregisterCheck(id).thenApply(AgentController::ok);
    }

    /** TTL heartbeats: {@code ?note=} becomes the check's output. */
    @PutMapping("/check/{verb:pass|warn|fail}/{id}")
    CompletableFuture<ResponseEntity<String>> heartbeat(@PathVariable String verb, @PathVariable String id,
                                                        HttpServletRequest request) {
        QueryParams params = QueryParams.of(request, Set.of("note"));
        requireCheck(id);
        CheckStatus status = switch (verb) {
            case "pass" -> CheckStatus.PASSING;
            case "warn" -> CheckStatus.WARNING;
            default -> CheckStatus.CRITICAL;
        };
        String note = params.get("note");
        return agent.report(id, new CheckResult(status, note == null ? "" : note)).thenApply(AgentController::ok);
    }

    /** Body {@code {"Status": "passing|warning|critical", "Output": "..."}}. */
    @PutMapping("/check/update/{id}")
    CompletableFuture<ResponseEntity<String>> update(@PathVariable String id, HttpServletRequest request)
            throws IOException {
        QueryParams.of(request, Set.of());
        requireCheck(id);
        JsonNode body = JsonFields.parseObject(json, RequestBodies.read(request, MAX_BODY_BYTES, TOO_LARGE));
        String status = JsonFields.text(body, "Status", "");
        CheckStatus parsed;
        try {
            parsed = CheckStatus.fromWire(status == null ? "" : status);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid check status: \"" + status + "\"");
        }
        String output = JsonFields.text(body, "Output", "");
        return agent.report(id, new CheckResult(parsed, output == null ? "" : output)).thenApply(AgentController::ok);
    }

    @PutMapping("/service/maintenance/{id}")
    CompletableFuture<ResponseEntity<String>> maintenance(@PathVariable String id, HttpServletRequest request) {
        QueryParams params = QueryParams.of(request, Set.of("enable", "reason"));
        if (!params.has("enable")) {
            throw ApiException.badRequest("Missing value for enable");
        }
        if (agent.service(id) == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "Unknown service ID \"" + id + "\"");
        }
        return agent.maintenance(id, params.flag("enable"), params.get("reason")).thenApply(AgentController::ok);
    }

    @PutMapping("/maintenance")
    CompletableFuture<ResponseEntity<String>> nodeMaintenance(HttpServletRequest request) {
        QueryParams params = QueryParams.of(request, Set.of("enable", "reason"));
        if (!params.has("enable")) {
            throw ApiException.badRequest("Missing value for enable");
        }
        return agent.nodeMaintenance(params.flag("enable"), params.get("reason")).thenApply(AgentController::ok);
    }

    record LocalHealth(@JsonProperty("AggregatedStatus") String aggregatedStatus,
                       @JsonProperty("Service") AgentService service,
                       @JsonProperty("Checks") List<CatalogJson.CheckJson> checks) {
    }

    /**
     * The agent's own view of its instances of a service, without a round trip to the servers: 200 if every
     * check passes, 429 if the worst is a warning, 503 if one is critical, 404 if none is registered here.
     */
    @GetMapping("/health/service/name/{name}")
    ResponseEntity<List<LocalHealth>> localHealthByName(@PathVariable String name, HttpServletRequest request) {
        QueryParams.of(request, Set.of("format"));
        List<LocalHealth> entries = agent.services().stream().filter(s -> s.name().equals(name))
                .sorted((a, b) -> a.id().compareTo(b.id())).map(this::localHealth).toList();
        return withAggregatedStatus(entries);
    }

    @GetMapping("/health/service/id/{id}")
    ResponseEntity<List<LocalHealth>> localHealthById(@PathVariable String id, HttpServletRequest request) {
        QueryParams.of(request, Set.of("format"));
        ServiceDefinition service = agent.service(id);
        return withAggregatedStatus(service == null ? List.of() : List.of(localHealth(service)));
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
        return new LocalHealth(worst.wireName(), json(s),
                checks.stream().map(c -> CatalogJson.CheckJson.of(named(c), tagsOf(c))).toList());
    }

    private static ResponseEntity<List<LocalHealth>> withAggregatedStatus(List<LocalHealth> entries) {
        if (entries.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(entries);
        }
        boolean critical = entries.stream().anyMatch(e -> e.aggregatedStatus().equals("critical"));
        boolean warning = entries.stream().anyMatch(e -> e.aggregatedStatus().equals("warning"));
        HttpStatus status = critical ? HttpStatus.SERVICE_UNAVAILABLE
                : warning ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.OK;
        return ResponseEntity.status(status).body(entries);
    }

    private void requireCheck(String id) {
        if (agent.check(id) == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "Unknown check ID \"" + id + "\"");
        }
    }

    private AgentService json(ServiceDefinition s) {
        return new AgentService(s.id(), s.name(), s.tags(), s.meta(), s.port(), s.address(), s.enableTagOverride(),
                agent.self().datacenter());
    }

    /** The agent's checks carry their service's name and tags, as the catalog's do. */
    private HealthCheck named(HealthCheck c) {
        ServiceDefinition s = c.serviceId().isEmpty() ? null : agent.service(c.serviceId());
        return s == null ? c : new HealthCheck(c.node(), c.checkId(), c.name(), c.status(), c.notes(), c.output(),
                c.serviceId(), s.name(), c.type(), c.createIndex(), c.modifyIndex());
    }

    private List<String> tagsOf(HealthCheck c) {
        ServiceDefinition s = c.serviceId().isEmpty() ? null : agent.service(c.serviceId());
        return s == null ? List.of() : s.tags();
    }

    private static ResponseEntity<String> ok(Outcome outcome) {
        if (outcome.error() != null) {
            throw ApiException.badRequest(outcome.error());
        }
        return ResponseEntity.ok().build();
    }
}
