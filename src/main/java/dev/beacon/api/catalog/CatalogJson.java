package dev.beacon.api.catalog;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
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

    /** A service as the agent and health endpoints show it. */
    public record ServiceJson(@JsonProperty("ID") String id, @JsonProperty("Service") String service,
                              @JsonProperty("Tags") List<String> tags, @JsonProperty("Address") String address,
                              @JsonProperty("Meta") Map<String, String> meta, @JsonProperty("Port") int port,
                              @JsonProperty("EnableTagOverride") boolean enableTagOverride,
                              @JsonProperty("CreateIndex") long createIndex,
                              @JsonProperty("ModifyIndex") long modifyIndex) {
        public static ServiceJson of(ServiceInstance s) {
            return new ServiceJson(s.id(), s.service(), s.tags(), s.address(), s.meta(), s.port(),
                    s.enableTagOverride(), s.createIndex(), s.modifyIndex());
        }
    }

    /** One row of {@code /v1/catalog/service/<name>}: the node's fields and the instance's, flattened. */
    public record CatalogServiceJson(@JsonProperty("ID") String id, @JsonProperty("Node") String node,
                                     @JsonProperty("Address") String address,
                                     @JsonProperty("Datacenter") String datacenter,
                                     @JsonProperty("TaggedAddresses") Map<String, String> taggedAddresses,
                                     @JsonProperty("NodeMeta") Map<String, String> nodeMeta,
                                     @JsonProperty("ServiceID") String serviceId,
                                     @JsonProperty("ServiceName") String serviceName,
                                     @JsonProperty("ServiceTags") List<String> serviceTags,
                                     @JsonProperty("ServiceAddress") String serviceAddress,
                                     @JsonProperty("ServicePort") int servicePort,
                                     @JsonProperty("ServiceMeta") Map<String, String> serviceMeta,
                                     @JsonProperty("ServiceEnableTagOverride") boolean serviceEnableTagOverride,
                                     @JsonProperty("CreateIndex") long createIndex,
                                     @JsonProperty("ModifyIndex") long modifyIndex) {
        public static CatalogServiceJson of(Node n, ServiceInstance s) {
            return new CatalogServiceJson(n.id(), n.name(), n.address(), n.datacenter(), taggedAddressesOrNull(n),
                    n.meta(), s.id(), s.service(), s.tags(), s.address(), s.port(), s.meta(),
                    s.enableTagOverride(), s.createIndex(), s.modifyIndex());
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
