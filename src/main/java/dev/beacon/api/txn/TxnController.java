package dev.beacon.api.txn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.beacon.api.ApiException;
import dev.beacon.api.JsonFields;
import dev.beacon.api.QueryParams;
import dev.beacon.api.RequestBodies;
import dev.beacon.api.kv.KvJson;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import dev.beacon.state.TxnError;
import dev.beacon.state.TxnOp;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consul's {@code PUT /v1/txn}: up to 128 KV operations applied atomically at one Raft index. Malformed
 * requests are refused before anything is submitted; operations that fail on the data roll the whole
 * transaction back and come back as 409 with Consul's {@code Errors[{OpIndex, What}]}.
 */
@RestController
class TxnController {
    static final int MAX_OPS = 128;
    /** Consul's txn_max_req_len default, the same as the KV value limit. */
    static final int MAX_BODY_BYTES = 512 * 1024;

    private final Replicator replicator;
    private final JsonMapper json;

    TxnController(Replicator replicator, JsonMapper json) {
        this.replicator = replicator;
        this.json = json;
    }

    @PutMapping("/v1/txn")
    CompletableFuture<ResponseEntity<byte[]>> txn(HttpServletRequest request) throws IOException {
        QueryParams.of(request, Set.of());
        List<TxnOp> ops = parse(RequestBodies.read(request, MAX_BODY_BYTES,
                "Request body too large, max size: " + MAX_BODY_BYTES + " bytes"));
        return replicator.submit(new Command.Txn(ops)).thenApply(TxnController::response);
    }

    private List<TxnOp> parse(byte[] body) {
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
        List<TxnOp> ops = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            ops.add(parseOp(i, root.get(i)));
        }
        return ops;
    }

    private static TxnOp parseOp(int i, JsonNode op) {
        String where = "Operation " + i + ": ";
        JsonNode kv = JsonFields.field(op, "KV");
        if (kv == null || !kv.isObject()) {
            String kind = op.isObject() && op.propertyNames().iterator().hasNext()
                    ? op.propertyNames().iterator().next() : "?";
            throw ApiException.badRequest("Operation " + i + ": unsupported operation type " + kind
                    + " (only KV operations are supported)");
        }
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

    private static ResponseEntity<byte[]> response(Outcome outcome) {
        StringBuilder out = new StringBuilder(128);
        if (outcome.success()) {
            out.append("{\"Results\":[");
            for (int i = 0; i < outcome.results().size(); i++) {
                out.append(i > 0 ? "," : "").append("{\"KV\":");
                KvJson.append(out, outcome.results().get(i));
                out.append('}');
            }
            out.append("],\"Errors\":null}");
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .body(out.toString().getBytes(StandardCharsets.UTF_8));
        }
        out.append("{\"Results\":null,\"Errors\":[");
        List<TxnError> errors = outcome.txnErrors();
        for (int i = 0; i < errors.size(); i++) {
            out.append(i > 0 ? "," : "").append("{\"OpIndex\":").append(errors.get(i).opIndex()).append(",\"What\":");
            KvJson.string(out, errors.get(i).what());
            out.append('}');
        }
        out.append("]}");
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_JSON)
                .body(out.toString().getBytes(StandardCharsets.UTF_8));
    }
}
