package dev.beacon.state;

/**
 * A health check as the catalog sees it: its current status and last output.
 * {@code serviceId} is empty for a node-level check.
 */
public record HealthCheck(String node, String checkId, String name, CheckStatus status, String notes, String output,
                          String serviceId, String serviceName, String type, long createIndex, long modifyIndex) {

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
