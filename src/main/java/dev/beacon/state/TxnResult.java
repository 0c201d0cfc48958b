package dev.beacon.state;

/** What one operation of a transaction returns: a key, a node, a service instance or a check. */
public sealed interface TxnResult permits KvEntry, KvEvent, Node, ServiceInstance, HealthCheck {

    long modifyIndex();
}
