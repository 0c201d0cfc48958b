package dev.beacon.api.catalog;

import java.util.ArrayList;
import java.util.List;

import dev.beacon.api.ApiException;
import dev.beacon.api.JsonFields;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.Command;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns {@code /v1/catalog/register} and {@code /deregister} bodies into commands, checking them as Consul does
 * so that a bad request is refused before anything is written.
 */
final class CatalogRequests {
    private final JsonMapper json;
    private final String datacenter;

    /** @param datacenter this server's datacenter, for nodes registered without one */
    CatalogRequests(JsonMapper json, String datacenter) {
        this.json = json;
        this.datacenter = datacenter;
    }

    Command.CatalogRegister register(byte[] body) {
        JsonNode root = object(body);
        String nodeName = require(JsonFields.text(root, "Node", ""), "Must provide node");
        String address = require(JsonFields.text(root, "Address", ""), "Must provide address");
        String dc = JsonFields.text(root, "Datacenter", "");
        Node node = new Node(nodeName, JsonFields.text(root, "ID", ""), address,
                dc == null || dc.isEmpty() ? datacenter : dc, JsonFields.stringMap(root, "TaggedAddresses", ""),
                JsonFields.stringMap(root, "NodeMeta", ""), 0, 0);
        ServiceInstance service = null;
        JsonNode s = JsonFields.field(root, "Service");
        if (s != null) {
            String name = require(JsonFields.text(s, "Service", "Service."), "Must provide service name");
            String id = JsonFields.text(s, "ID", "Service.");
            long port = JsonFields.uint64(s, "Port", "Service.");
            if (port > 65535) {
                throw ApiException.badRequest("Invalid service port " + port);
            }
            service = new ServiceInstance(nodeName, id == null || id.isEmpty() ? name : id, name,
                    JsonFields.strings(s, "Tags", "Service."), JsonFields.text(s, "Address", "Service."),
                    (int) port, JsonFields.stringMap(s, "Meta", "Service."),
                    JsonFields.bool(s, "EnableTagOverride", "Service."), 0, 0);
        }
        List<HealthCheck> checks = new ArrayList<>();
        JsonNode single = JsonFields.field(root, "Check");
        if (single != null) {
            checks.add(check(single, nodeName, "Check."));
        }
        JsonNode many = JsonFields.field(root, "Checks");
        if (many != null) {
            if (!many.isArray()) {
                throw ApiException.badRequest("Checks must be a list");
            }
            for (int i = 0; i < many.size(); i++) {
                checks.add(check(many.get(i), nodeName, "Checks[" + i + "]."));
            }
        }
        return new Command.CatalogRegister(node, service, checks);
    }

    Command deregister(byte[] body) {
        JsonNode root = object(body);
        String node = require(JsonFields.text(root, "Node", ""), "Must provide node");
        String checkId = JsonFields.text(root, "CheckID", "");
        String serviceId = JsonFields.text(root, "ServiceID", "");
        if (checkId != null && !checkId.isEmpty()) {
            return new Command.DeregisterCheck(node, checkId);
        }
        if (serviceId != null && !serviceId.isEmpty()) {
            return new Command.DeregisterService(node, serviceId);
        }
        return new Command.DeregisterNode(node);
    }

    private static HealthCheck check(JsonNode c, String nodeName, String where) {
        String checkNode = JsonFields.text(c, "Node", where);
        if (checkNode != null && !checkNode.isEmpty() && !checkNode.equals(nodeName)) {
            throw ApiException.badRequest(where + "Node must be " + nodeName);
        }
        String name = JsonFields.text(c, "Name", where);
        String id = JsonFields.text(c, "CheckID", where);
        String checkId = require(id == null || id.isEmpty() ? name : id, where + "CheckID or Name is required");
        CheckStatus status = JsonFields.checkStatus(c, where);
        return new HealthCheck(nodeName, checkId, name == null ? checkId : name, status,
                JsonFields.text(c, "Notes", where), JsonFields.text(c, "Output", where),
                JsonFields.text(c, "ServiceID", where), "", JsonFields.text(c, "Type", where), 0, 0);
    }

    private JsonNode object(byte[] body) {
        return JsonFields.parseObject(json, body);
    }

    private static String require(String value, String message) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(message);
        }
        return value;
    }
}
