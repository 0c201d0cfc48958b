package dev.beacon.etcd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** etcd v2's answer to a keys request: what was done, to which node, and the node as it was before. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"action", "node", "prevNode"})
record EtcdAnswer(@JsonProperty("action") String action, @JsonProperty("node") EtcdNode node,
                  @JsonProperty("prevNode") EtcdNode prevNode) {
}
