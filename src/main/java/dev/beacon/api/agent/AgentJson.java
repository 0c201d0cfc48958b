package dev.beacon.api.agent;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.agent.LocalAgent;
import dev.beacon.agent.ServiceDefinition;
import dev.beacon.api.catalog.CatalogJson;
import dev.beacon.state.HealthCheck;

/** The local agent's services and checks as Consul's agent endpoints write them. */
final class AgentJson {
    private final LocalAgent agent;

    AgentJson(LocalAgent agent) {
        this.agent = agent;
    }

    record AgentService(@JsonProperty("ID") String id, @JsonProperty("Service") String service,
                        @JsonProperty("Tags") List<String> tags, @JsonProperty("Meta") Map<String, String> meta,
                        @JsonProperty("Port") int port, @JsonProperty("Address") String address,
                        @JsonProperty("EnableTagOverride") boolean enableTagOverride,
                        @JsonProperty("Datacenter") String datacenter) {
    }

    AgentService service(ServiceDefinition s) {
        return new AgentService(s.id(), s.name(), s.tags(), s.meta(), s.port(), s.address(), s.enableTagOverride(),
                agent.self().datacenter());
    }

    /** The agent's checks carry their service's name and tags, as the catalog's do. */
    CatalogJson.CheckJson check(HealthCheck c) {
        ServiceDefinition s = c.serviceId().isEmpty() ? null : agent.service(c.serviceId());
        if (s == null) {
            return CatalogJson.CheckJson.of(c, List.of());
        }
        HealthCheck named = new HealthCheck(c.node(), c.checkId(), c.name(), c.status(), c.notes(), c.output(),
                c.serviceId(), s.name(), c.type(), c.createIndex(), c.modifyIndex());
        return CatalogJson.CheckJson.of(named, s.tags());
    }
}
