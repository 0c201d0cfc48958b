package dev.beacon.state;

import java.util.Objects;

/**
 * A health check as the catalog sees it: its current status and last output.
 * {@code serviceId} is empty for a node-level check.
 */
public record HealthCheck(String node, String checkId, String name, CheckStatus status, String notes, String output,
                          String serviceId, String serviceName, String type, long createIndex, long modifyIndex)
        implements TxnResult {

    public HealthCheck {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(status, "status");
        name = Text.orEmpty(name);
        notes = Text.orEmpty(notes);
        output = Text.orEmpty(output);
        serviceId = Text.orEmpty(serviceId);
        serviceName = Text.orEmpty(serviceName);
        type = Text.orEmpty(type);
    }

    boolean sameAs(HealthCheck other) {
        return other != null && node.equals(other.node) && checkId.equals(other.checkId) && name.equals(other.name)
                && status == other.status && notes.equals(other.notes) && output.equals(other.output)
                && serviceId.equals(other.serviceId) && serviceName.equals(other.serviceName)
                && type.equals(other.type);
    }

    HealthCheck withIndexes(long create, long modify) {
        return new HealthCheck(node, checkId, name, status, notes, output, serviceId, serviceName, type, create,
                modify);
    }
}
