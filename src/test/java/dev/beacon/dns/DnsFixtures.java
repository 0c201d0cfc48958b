package dev.beacon.dns;

import java.util.List;
import java.util.Map;

import dev.beacon.state.CheckStatus;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/** Catalog records and queries for the DNS unit tests. */
final class DnsFixtures {
    private DnsFixtures() {
    }

    static Node node(String name, String address) {
        return node(name, address, Map.of());
    }

    static Node node(String name, String address, Map<String, String> meta) {
        return new Node(name, "id-" + name, address, "dc1", Map.of(), meta, 0, 0);
    }

    static ServiceInstance service(String node, String id, String name, String address, int port, String... tags) {
        return new ServiceInstance(node, id, name, List.of(tags), address, port, Map.of(), false, 0, 0);
    }

    static HealthCheck serviceCheck(String node, String serviceId, CheckStatus status) {
        return new HealthCheck(node, serviceId + ":check", "check", status, "", "", serviceId, "", "ttl", 0, 0);
    }

    static HealthCheck nodeCheck(String node, String checkId, CheckStatus status) {
        return new HealthCheck(node, checkId, checkId, status, "", "", "", "", "", 0, 0);
    }

    static Name name(String s) {
        try {
            return Name.fromString(s, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Message query(String name, int type) {
        return Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
    }
}
