package dev.beacon.state;

/** A read result with the index that covers it (what Consul sends as X-Consul-Index). */
public record Indexed<T>(T value, long index) {
}
