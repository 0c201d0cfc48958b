package dev.beacon.api.agent;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.beacon.agent.LocalAgent;
import dev.beacon.agent.ServiceDefinition;
import dev.beacon.api.catalog.CatalogJson;
import dev.beacon.api.catalog.ServiceExtrasJson;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.ServiceExtras;

/** The local agent's services and checks as Consul's agent endpoints write them. */
final class AgentJson {
    private final LocalAgent agent;

    AgentJson(LocalAgent agent) {
        this.agent = agent;
    }

    record AgentService(@JsonProperty("Kind") @JsonInclude(JsonInclude.Include.NON_EMPTY) String kind,
                        @JsonProperty("ID") String id, @JsonProperty("Service") String service,
                        @JsonProperty("Tags") List<String> tags, @JsonProperty("Meta") Map<String, String> meta,
                        @JsonProperty("Port") int port, @JsonProperty("Address") String address,
                        @JsonProperty("SocketPath") @JsonInclude(JsonInclude.Include.NON_EMPTY) String socketPath,
                        @JsonProperty("TaggedAddresses") @JsonInclude(JsonInclude.Include.NON_NULL)
                        Map<String, ServiceExtrasJson.AddressJson> taggedAddresses,
                        @JsonProperty("Weights") ServiceExtrasJson.WeightsJson weights,
                        @JsonProperty("EnableTagOverride") boolean enableTagOverride,
                        @JsonProperty("Proxy") @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String proxy,
                        @JsonProperty("Connect") @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue
                        String connect,
                        @JsonProperty("Datacenter") String datacenter) {
    }

    AgentService service(ServiceDefinition s) {
        ServiceExtras e = s.extras();
        return new AgentService(e.kind(), s.id(), s.name(), s.tags(), s.meta(), s.port(), s.address(),
                e.socketPath(), ServiceExtrasJson.taggedAddresses(e), ServiceExtrasJson.WeightsJson.of(e),
                s.enableTagOverride(), ServiceExtrasJson.rawOrNull(e.proxyJson()),
                ServiceExtrasJson.rawOrNull(e.connectJson()), agent.self().datacenter());
    }

    /** The tags of a check's service, or none for a node check. */
    List<String> serviceTags(HealthCheck c) {
        ServiceDefinition s = serviceOf(c);
        return s == null ? List.of() : s.tags();
    }

    /** The agent's checks carry their service's name and tags, as the catalog's do. */
    CatalogJson.CheckJson check(HealthCheck c) {
        return CatalogJson.CheckJson.of(named(c), serviceTags(c));
    }

    /** The check with its service's name, which the agent's own copy leaves to the catalog to fill in. */
    HealthCheck named(HealthCheck c) {
        ServiceDefinition s = serviceOf(c);
        return s == null ? c : new HealthCheck(c.node(), c.checkId(), c.name(), c.status(), c.notes(), c.output(),
                c.serviceId(), s.name(), c.type(), c.createIndex(), c.modifyIndex());
    }

    private ServiceDefinition serviceOf(HealthCheck c) {
        return c.serviceId().isEmpty() ? null : agent.service(c.serviceId());
    }
}
