package dev.beacon.api.txn;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Caller;
import dev.beacon.api.JsonFields;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.api.catalog.CatalogJson;
import dev.beacon.api.catalog.CatalogRequests;
import dev.beacon.api.catalog.CatalogWriteAcl;
import dev.beacon.api.kv.KvJson;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.CatalogTxnOp;
import dev.beacon.state.Command;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.KvEntry;
import dev.beacon.state.Node;
import dev.beacon.state.Outcome;
import dev.beacon.state.ServiceInstance;
import dev.beacon.state.Store;
import dev.beacon.state.TxnOp;
import dev.beacon.state.TxnOperation;
import dev.beacon.state.TxnResult;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consul's {@code PUT /v1/txn}: up to 128 KV and catalog (Node, Service, Check) operations applied atomically at
 * one Raft index. Malformed
 * requests are refused before anything is submitted; operations that fail on the data roll the whole
 * transaction back and come back as 409 with Consul's {@code Errors[{OpIndex, What}]}.
 */
@Component
class TxnRoutes implements ApiRoutes {
    static final int MAX_OPS = 128;

    private final Replicator replicator;
    private final JsonMapper json;
    private final String datacenter;
    private final TxnAcl acl;

    TxnRoutes(Replicator replicator, JsonMapper json, ClusterView cluster, Store store) {
        this.replicator = replicator;
        this.json = json;
        this.datacenter = cluster.settings().datacenter();
        this.acl = new TxnAcl(new CatalogWriteAcl(store));
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.write("PUT", "/v1/txn", Route.Resource.KEY, Route.MAX_BODY, this::txn);
    }

    private CompletionStage<ApiResponse> txn(ApiRequest request) {
        List<TxnOperation> ops = parse(request.body());
        List<TxnErrorJson> refused = acl.refused(ops, request.caller());
        if (!refused.isEmpty()) {
            return CompletableFuture.completedFuture(ApiResponse.json(new TxnJson(null, refused))
                    .withStatus(HttpStatus.CONFLICT.value()));
        }
        return replicator.submit(new Command.Txn(ops)).thenApply(outcome -> response(outcome, request.caller()));
    }

    private List<TxnOperation> parse(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("Failed to parse body: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw ApiException.badRequest("Failed to parse body: expected a JSON array of operations");
        }
        if (root.size() > MAX_OPS) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE,
                    "Transaction contains too many operations (" + root.size() + " > " + MAX_OPS + ")");
        }
        List<TxnOperation> ops = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            ops.add(parseOp(i, root.get(i)));
        }
        return ops;
    }

    private TxnOperation parseOp(int i, JsonNode op) {
        String where = "Operation " + i + ": ";
        JsonNode kv = JsonFields.field(op, "KV");
        if (kv != null && kv.isObject()) {
            return parseKv(i, kv, where);
        }
        JsonNode node = JsonFields.field(op, "Node");
        if (node != null && node.isObject()) {
            return parseNode(node, where);
        }
        JsonNode service = JsonFields.field(op, "Service");
        if (service != null && service.isObject()) {
            return parseService(service, where);
        }
        JsonNode check = JsonFields.field(op, "Check");
        if (check != null && check.isObject()) {
            return parseCheck(check, where);
        }
        String kind = op.isObject() && op.propertyNames().iterator().hasNext()
                ? op.propertyNames().iterator().next() : "?";
        throw ApiException.badRequest(where + "unsupported operation type " + kind
                + " (KV, Node, Service and Check are supported)");
    }

    private CatalogTxnOp parseNode(JsonNode op, String where) {
        CatalogTxnOp.Verb verb = catalogVerb(op, where, "Node");
        JsonNode n = object(op, "Node", where);
        return new CatalogTxnOp.OnNode(verb, CatalogRequests.node(n, where + "Node.", datacenter),
                JsonFields.uint64(n, "ModifyIndex", where + "Node."));
    }

    private static CatalogTxnOp parseService(JsonNode op, String where) {
        CatalogTxnOp.Verb verb = catalogVerb(op, where, "Service");
        String node = JsonFields.text(op, "Node", where);
        if (node == null || node.isEmpty()) {
            throw ApiException.badRequest(where + "Must provide node");
        }
        JsonNode s = object(op, "Service", where);
        String inner = where + "Service.";
        ServiceInstance service;
        if (verb == CatalogTxnOp.Verb.SET || verb == CatalogTxnOp.Verb.CAS) {
            service = CatalogRequests.service(s, node, inner);
        } else {
            String id = JsonFields.text(s, "ID", inner);
            if (id == null || id.isEmpty()) {
                throw ApiException.badRequest(where + "Must provide service ID");
            }
            service = new ServiceInstance(node, id, "", List.of(), "", 0, Map.of(), false, 0, 0);
        }
        return new CatalogTxnOp.OnService(verb, service, JsonFields.uint64(s, "ModifyIndex", inner));
    }

    private static CatalogTxnOp parseCheck(JsonNode op, String where) {
        CatalogTxnOp.Verb verb = catalogVerb(op, where, "Check");
        JsonNode c = object(op, "Check", where);
        String inner = where + "Check.";
        String node = JsonFields.text(c, "Node", inner);
        if (node == null || node.isEmpty()) {
            throw ApiException.badRequest(where + "Must provide node");
        }
        return new CatalogTxnOp.OnCheck(verb, CatalogRequests.check(c, node, inner),
                JsonFields.uint64(c, "ModifyIndex", inner));
    }

    private static CatalogTxnOp.Verb catalogVerb(JsonNode op, String where, String kind) {
        String name = JsonFields.text(op, "Verb", where);
        CatalogTxnOp.Verb verb = name == null ? null : CatalogTxnOp.Verb.fromWire(name);
        if (verb == null) {
            throw ApiException.badRequest(where + "unknown " + kind + " verb \"" + name + "\"");
        }
        return verb;
    }

    private static JsonNode object(JsonNode op, String field, String where) {
        JsonNode value = JsonFields.field(op, field);
        if (value == null || !value.isObject()) {
            throw ApiException.badRequest(where + field + " must be an object");
        }
        return value;
    }

    private static TxnOp parseKv(int i, JsonNode kv, String where) {
        String verbName = JsonFields.text(kv, "Verb", where);
        TxnOp.Verb verb = verbName == null ? null : TxnOp.Verb.fromWire(verbName);
        if (verb == null) {
            throw ApiException.badRequest("Operation " + i + ": unknown KV verb \"" + verbName + "\"");
        }
        String key = JsonFields.text(kv, "Key", where);
        if (key == null || (key.isEmpty() && verb != TxnOp.Verb.GET_TREE && verb != TxnOp.Verb.DELETE_TREE)) {
            throw ApiException.badRequest("Operation " + i + ": missing key name");
        }
        byte[] value = null;
        String encoded = JsonFields.text(kv, "Value", where);
        if (encoded != null) {
            try {
                value = Base64.getDecoder().decode(encoded);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Operation " + i + ": Value is not valid base64");
            }
        }
        return new TxnOp(verb, key, value, JsonFields.uint64(kv, "Flags", where), JsonFields.uint64(kv, "Index", where),
                JsonFields.text(kv, "Session", where));
    }

    /** Consul's answer: the results in operation order, or 409 with the errors that rolled it back. */
    record TxnJson(@JsonProperty("Results") List<Map<String, Object>> results,
                   @JsonProperty("Errors") List<TxnErrorJson> errors) {
    }

    record TxnErrorJson(@JsonProperty("OpIndex") int opIndex, @JsonProperty("What") String what) {
    }

    private static ApiResponse response(Outcome outcome, Caller caller) {
        if (outcome.success()) {
            return ApiResponse.json(new TxnJson(TxnAcl.visible(outcome.results(), caller).stream()
                    .map(TxnRoutes::result).toList(), null));
        }
        List<TxnErrorJson> errors = outcome.txnErrors().stream()
                .map(e -> new TxnErrorJson(e.opIndex(), e.what())).toList();
        return ApiResponse.json(new TxnJson(null, errors)).withStatus(HttpStatus.CONFLICT.value());
    }

    private static Map<String, Object> result(TxnResult result) {
        if (result instanceof KvEntry e) {
            return Map.of("KV", KvJson.of(e));
        }
        if (result instanceof Node n) {
            return Map.of("Node", CatalogJson.NodeJson.of(n));
        }
        if (result instanceof ServiceInstance s) {
            return Map.of("Service", CatalogJson.ServiceJson.of(s));
        }
        return Map.of("Check", CatalogJson.CheckJson.of((HealthCheck) result, List.of()));
    }
}
