package dev.beacon.api.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * so that a bad request is refused before anything is written. The node, service and check parsers are shared
 * with the catalog operations of {@code /v1/txn}.
 */
public final class CatalogRequests {
    private final JsonMapper json;
    private final String datacenter;

    /** @param datacenter this server's datacenter, for nodes registered without one */
    CatalogRequests(JsonMapper json, String datacenter) {
        this.json = json;
        this.datacenter = datacenter;
    }

    Command.CatalogRegister register(byte[] body) {
        JsonNode root = object(body);
        require(JsonFields.text(root, "Address", ""), "Must provide address");
        Node node = node(root, "", datacenter);
        String nodeName = node.name();
        ServiceInstance service = null;
        JsonNode s = JsonFields.field(root, "Service");
        if (s != null) {
            service = service(s, nodeName, "Service.");
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

    /**
     * A node: {@code Node} is required; meta may come as {@code NodeMeta} (catalog register) or {@code Meta} (the
     * node object of a transaction).
     */
    public static Node node(JsonNode n, String where, String defaultDatacenter) {
        String name = require(JsonFields.text(n, "Node", where), "Must provide node");
        String dc = JsonFields.text(n, "Datacenter", where);
        Map<String, String> meta = JsonFields.field(n, "NodeMeta") != null
                ? JsonFields.stringMap(n, "NodeMeta", where) : JsonFields.stringMap(n, "Meta", where);
        return new Node(name, JsonFields.text(n, "ID", where), JsonFields.text(n, "Address", where),
                dc == null || dc.isEmpty() ? defaultDatacenter : dc, JsonFields.stringMap(n, "TaggedAddresses", where),
                meta, 0, 0);
    }

    /** A service instance on {@code nodeName}: {@code Service} (the name) is required, the id defaults to it. */
    public static ServiceInstance service(JsonNode s, String nodeName, String where) {
        String name = require(JsonFields.text(s, "Service", where), "Must provide service name");
        String id = JsonFields.text(s, "ID", where);
        long port = JsonFields.uint64(s, "Port", where);
        if (port > 65535) {
            throw ApiException.badRequest("Invalid service port " + port);
        }
        return new ServiceInstance(nodeName, id == null || id.isEmpty() ? name : id, name,
                JsonFields.strings(s, "Tags", where), JsonFields.text(s, "Address", where), (int) port,
                JsonFields.stringMap(s, "Meta", where), JsonFields.bool(s, "EnableTagOverride", where),
                ServiceExtrasJson.parse(s, where), 0, 0);
    }

    /** A check on {@code nodeName}; {@code CheckID} defaults to {@code Name}. */
    public static HealthCheck check(JsonNode c, String nodeName, String where) {
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
