package dev.beacon.state;

import java.util.Objects;

/**
 * A health check as the catalog sees it: its current status and last output.
 * {@code serviceId} is empty for a node-level check. {@code statusChangedAt} is the Raft entry time (milliseconds
 * since the epoch) of the write that gave the check its current status, set by the state machine; 0 where it is
 * not known (a command on its way, or a check restored from a snapshot written before it was kept).
 */
public record HealthCheck(String node, String checkId, String name, CheckStatus status, String notes, String output,
                          String serviceId, String serviceName, String type, long createIndex, long modifyIndex,
                          long statusChangedAt)
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

    /** A check as a request gives it, before the state machine has stamped when its status changed. */
    public HealthCheck(String node, String checkId, String name, CheckStatus status, String notes, String output,
                       String serviceId, String serviceName, String type, long createIndex, long modifyIndex) {
        this(node, checkId, name, status, notes, output, serviceId, serviceName, type, createIndex, modifyIndex, 0);
    }

    boolean sameAs(HealthCheck other) {
        return other != null && node.equals(other.node) && checkId.equals(other.checkId) && name.equals(other.name)
                && status == other.status && notes.equals(other.notes) && output.equals(other.output)
                && serviceId.equals(other.serviceId) && serviceName.equals(other.serviceName)
                && type.equals(other.type);
    }

    /** This check as stored at {@code modify}: its status counts as changed then unless {@code previous} had it. */
    HealthCheck stored(long create, long modify, HealthCheck previous, long time) {
        long changedAt = previous != null && previous.status == status ? previous.statusChangedAt : time;
        return new HealthCheck(node, checkId, name, status, notes, output, serviceId, serviceName, type, create,
                modify, changedAt);
    }
}
