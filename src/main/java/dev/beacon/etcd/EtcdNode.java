package dev.beacon.etcd;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A node of etcd v2's JSON: a file ({@code value}) or a directory ({@code dir}, its children in {@code nodes} when
 * listed; an empty list is left out, as etcd leaves it out), with its time to live where it has one. The root has no
 * key and no indexes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"key", "dir", "value", "expiration", "ttl", "nodes", "modifiedIndex", "createdIndex"})
record EtcdNode(@JsonProperty("key") String key, @JsonProperty("dir") Boolean dir,
                @JsonProperty("value") EtcdValue value, @JsonProperty("expiration") String expiration,
                @JsonProperty("ttl") Long ttl, @JsonProperty("nodes") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<EtcdNode> nodes,
                @JsonProperty("modifiedIndex") Long modifiedIndex, @JsonProperty("createdIndex") Long createdIndex) {
}
