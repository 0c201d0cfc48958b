package dev.beacon.api.catalog;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceExtras;
import dev.beacon.state.ServiceInstance;

/**
 * Consul's JSON shapes for nodes, services and checks, with its field names. A node registered without tagged
 * addresses shows {@code "TaggedAddresses": null}, as Consul shows it: consul-client reads an object there as
 * addresses that must hold {@code wan}, and fails on {@code {}}.
 */
public final class CatalogJson {
    private CatalogJson() {
    }

    private static Map<String, String> taggedAddressesOrNull(Node n) {
        return n.taggedAddresses().isEmpty() ? null : n.taggedAddresses();
    }

    public record NodeJson(@JsonProperty("ID") String id, @JsonProperty("Node") String node,
                           @JsonProperty("Address") String address, @JsonProperty("Datacenter") String datacenter,
                           @JsonProperty("TaggedAddresses") Map<String, String> taggedAddresses,
                           @JsonProperty("Meta") Map<String, String> meta,
                           @JsonProperty("CreateIndex") long createIndex,
                           @JsonProperty("ModifyIndex") long modifyIndex) {
        public static NodeJson of(Node n) {
            return new NodeJson(n.id(), n.name(), n.address(), n.datacenter(), taggedAddressesOrNull(n), n.meta(),
                    n.createIndex(), n.modifyIndex());
        }
    }

    /** A service as the agent and health endpoints show it, with Consul's extras where it has them. */
    public record ServiceJson(@JsonProperty("ID") String id, @JsonProperty("Service") String service,
                              @JsonProperty("Tags") List<String> tags, @JsonProperty("Address") String address,
                              @JsonProperty("Meta") Map<String, String> meta, @JsonProperty("Port") int port,
                              @JsonProperty("EnableTagOverride") boolean enableTagOverride,
                              @JsonProperty("Kind") @JsonInclude(JsonInclude.Include.NON_EMPTY) String kind,
                              @JsonProperty("Weights") ServiceExtrasJson.WeightsJson weights,
                              @JsonProperty("TaggedAddresses") @JsonInclude(JsonInclude.Include.NON_NULL)
                              Map<String, ServiceExtrasJson.AddressJson> taggedAddresses,
                              @JsonProperty("SocketPath") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                              String socketPath,
                              @JsonProperty("Proxy") @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue
                              String proxy,
                              @JsonProperty("Connect") @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue
                              String connect,
                              @JsonProperty("CreateIndex") long createIndex,
                              @JsonProperty("ModifyIndex") long modifyIndex) {
        public static ServiceJson of(ServiceInstance s) {
            ServiceExtras e = s.extras();
            return new ServiceJson(s.id(), s.service(), s.tags(), s.address(), s.meta(), s.port(),
                    s.enableTagOverride(), e.kind(), ServiceExtrasJson.WeightsJson.of(e),
                    ServiceExtrasJson.taggedAddresses(e), e.socketPath(), ServiceExtrasJson.rawOrNull(e.proxyJson()),
                    ServiceExtrasJson.rawOrNull(e.connectJson()),
                    s.createIndex(), s.modifyIndex());
        }
    }

    /** One row of {@code /v1/catalog/service/<name>}: the node's fields and the instance's, flattened. */
    public record CatalogServiceJson(@JsonProperty("ID") String id, @JsonProperty("Node") String node,
                                     @JsonProperty("Address") String address,
                                     @JsonProperty("Datacenter") String datacenter,
                                     @JsonProperty("TaggedAddresses") Map<String, String> taggedAddresses,
                                     @JsonProperty("NodeMeta") Map<String, String> nodeMeta,
                                     @JsonProperty("ServiceKind") String serviceKind,
                                     @JsonProperty("ServiceID") String serviceId,
                                     @JsonProperty("ServiceName") String serviceName,
                                     @JsonProperty("ServiceTags") List<String> serviceTags,
                                     @JsonProperty("ServiceAddress") String serviceAddress,
                                     @JsonProperty("ServiceTaggedAddresses")
                                     @JsonInclude(JsonInclude.Include.NON_NULL)
                                     Map<String, ServiceExtrasJson.AddressJson> serviceTaggedAddresses,
                                     @JsonProperty("ServiceWeights") ServiceExtrasJson.WeightsJson serviceWeights,
                                     @JsonProperty("ServicePort") int servicePort,
                                     @JsonProperty("ServiceSocketPath") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                                     String serviceSocketPath,
                                     @JsonProperty("ServiceMeta") Map<String, String> serviceMeta,
                                     @JsonProperty("ServiceEnableTagOverride") boolean serviceEnableTagOverride,
                                     @JsonProperty("ServiceProxy") @JsonInclude(JsonInclude.Include.NON_NULL)
                                     @JsonRawValue String serviceProxy,
                                     @JsonProperty("ServiceConnect") @JsonInclude(JsonInclude.Include.NON_NULL)
                                     @JsonRawValue String serviceConnect,
                                     @JsonProperty("CreateIndex") long createIndex,
                                     @JsonProperty("ModifyIndex") long modifyIndex) {
        public static CatalogServiceJson of(Node n, ServiceInstance s) {
            ServiceExtras e = s.extras();
            return new CatalogServiceJson(n.id(), n.name(), n.address(), n.datacenter(), taggedAddressesOrNull(n),
                    n.meta(), e.kind(), s.id(), s.service(), s.tags(), s.address(),
                    ServiceExtrasJson.taggedAddresses(e), ServiceExtrasJson.WeightsJson.of(e), s.port(),
                    e.socketPath(), s.meta(), s.enableTagOverride(), ServiceExtrasJson.rawOrNull(e.proxyJson()),
                    ServiceExtrasJson.rawOrNull(e.connectJson()),
                    s.createIndex(), s.modifyIndex());
        }
    }

    /** {@code /v1/catalog/node/<name>}: the node and its services by id. */
    record NodeServicesMap(@JsonProperty("Node") NodeJson node,
                           @JsonProperty("Services") Map<String, ServiceJson> services) {
    }

    /** {@code /v1/catalog/node-services/<name>}: the node and its services as a list. */
    record NodeServicesList(@JsonProperty("Node") NodeJson node,
                            @JsonProperty("Services") List<ServiceJson> services) {
    }

    /** An instance with its node and the checks of both: an entry of {@code /v1/health/service/<name>}. */
    public record ServiceEntryJson(@JsonProperty("Node") NodeJson node, @JsonProperty("Service") ServiceJson service,
                                   @JsonProperty("Checks") List<CheckJson> checks) {
    }

    public record CheckJson(@JsonProperty("Node") String node, @JsonProperty("CheckID") String checkId,
                            @JsonProperty("Name") String name, @JsonProperty("Status") String status,
                            @JsonProperty("Notes") String notes, @JsonProperty("Output") String output,
                            @JsonProperty("ServiceID") String serviceId,
                            @JsonProperty("ServiceName") String serviceName,
                            @JsonProperty("ServiceTags") List<String> serviceTags,
                            @JsonProperty("Type") String type, @JsonProperty("CreateIndex") long createIndex,
                            @JsonProperty("ModifyIndex") long modifyIndex) {
        public static CheckJson of(HealthCheck c, List<String> serviceTags) {
            return new CheckJson(c.node(), c.checkId(), c.name(), c.status().wireName(), c.notes(), c.output(),
                    c.serviceId(), c.serviceName(), serviceTags, c.type(), c.createIndex(), c.modifyIndex());
        }
    }
}
