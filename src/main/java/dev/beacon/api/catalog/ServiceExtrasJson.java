package dev.beacon.api.catalog;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.ApiException;
import dev.beacon.api.JsonFields;
import dev.beacon.state.ServiceExtras;
import tools.jackson.databind.JsonNode;

/**
 * Consul's service fields beyond the common ones, read from a registration and written back as Consul writes
 * them: {@code Kind}, {@code Weights}, {@code TaggedAddresses}, {@code SocketPath}, and {@code Proxy} and
 * {@code Connect} kept as the JSON they were given.
 */
public final class ServiceExtrasJson {
    private static final int MAX_PORT = 65535;

    private ServiceExtrasJson() {
    }

    public record WeightsJson(@JsonProperty("Passing") int passing, @JsonProperty("Warning") int warning) {
        public static WeightsJson of(ServiceExtras e) {
            return new WeightsJson(e.passingWeight(), e.warningWeight());
        }
    }

    public record AddressJson(@JsonProperty("Address") String address, @JsonProperty("Port") int port) {
    }

    /** The extras of the service object {@code s} of a registration; {@link ServiceExtras#NONE} if it has none. */
    public static ServiceExtras parse(JsonNode s, String where) {
        String kind = JsonFields.text(s, "Kind", where);
        int passing = 1;
        int warning = 1;
        JsonNode weights = JsonFields.field(s, "Weights");
        if (weights != null) {
            if (!weights.isObject()) {
                throw ApiException.badRequest(where + "Weights must be an object with Passing and Warning");
            }
            passing = (int) Math.min(Integer.MAX_VALUE, JsonFields.uint64(weights, "Passing", where + "Weights."));
            warning = (int) Math.min(Integer.MAX_VALUE, JsonFields.uint64(weights, "Warning", where + "Weights."));
            if (passing < 1) {
                throw ApiException.badRequest(where + "Passing must be greater than 0");
            }
        }
        Map<String, ServiceExtras.ServiceAddress> tagged = new LinkedHashMap<>();
        JsonNode addresses = JsonFields.field(s, "TaggedAddresses");
        if (addresses != null) {
            if (!addresses.isObject()) {
                throw ApiException.badRequest(where + "TaggedAddresses must be an object of {Address, Port}");
            }
            for (Map.Entry<String, JsonNode> a : addresses.properties()) {
                String at = where + "TaggedAddresses." + a.getKey() + ".";
                if (!a.getValue().isObject()) {
                    throw ApiException.badRequest(where + "TaggedAddresses." + a.getKey()
                            + " must be an object of Address and Port");
                }
                long port = JsonFields.uint64(a.getValue(), "Port", at);
                if (port > MAX_PORT) {
                    throw ApiException.badRequest(at + "Port must be 0-65535");
                }
                tagged.put(a.getKey(), new ServiceExtras.ServiceAddress(
                        JsonFields.text(a.getValue(), "Address", at), (int) port));
            }
        }
        return new ServiceExtras(kind, passing, warning, tagged, JsonFields.text(s, "SocketPath", where),
                objectText(s, "Proxy", where), objectText(s, "Connect", where));
    }

    /** A service's tagged addresses as Consul writes them, or null (left out) when it has none. */
    public static Map<String, AddressJson> taggedAddresses(ServiceExtras e) {
        if (e.taggedAddresses().isEmpty()) {
            return null;
        }
        Map<String, AddressJson> json = new LinkedHashMap<>();
        e.taggedAddresses().forEach((name, a) -> json.put(name, new AddressJson(a.address(), a.port())));
        return json;
    }

    /** Kept JSON text to write as it is, or null (left out) where none was given. */
    public static String rawOrNull(String json) {
        return json.isEmpty() ? null : json;
    }

    /** The JSON text of an object field as given, or "" if absent. */
    private static String objectText(JsonNode s, String name, String where) {
        JsonNode node = JsonFields.field(s, name);
        if (node == null) {
            return "";
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(where + name + " must be an object");
        }
        return node.toString();
    }
}
