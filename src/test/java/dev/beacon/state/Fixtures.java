package dev.beacon.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builders for commands and records shared by the state tests. */
final class Fixtures {
    static final long T0 = 1_700_000_000_000L;

    private Fixtures() {
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** {@code length} bytes, each {@code value}. */
    static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    static Command.KvSet set(String key, String value) {
        return new Command.KvSet(key, bytes(value), 0, Command.NO_CAS);
    }

    static Command.KvSet setCas(String key, String value, long cas) {
        return new Command.KvSet(key, bytes(value), 0, cas);
    }

    static Command.KvDelete del(String key) {
        return new Command.KvDelete(key, false, Command.NO_CAS);
    }

    static Command.KvDelete delCas(String key, long cas) {
        return new Command.KvDelete(key, false, cas);
    }

    static Command.KvDelete delTree(String prefix) {
        return new Command.KvDelete(prefix, true, Command.NO_CAS);
    }

    static Node node(String name) {
        return node(name, "10.0.0.1");
    }

    static Node node(String name, String address) {
        return new Node(name, "uuid-" + name, address, "dc1", Map.of("lan", address), Map.of("rack", "r1"), 0, 0);
    }

    static ServiceInstance service(String node, String id, String name) {
        return service(node, id, name, 8080);
    }

    static ServiceInstance service(String node, String id, String name, int port) {
        return new ServiceInstance(node, id, name, List.of("v1", "primary"), "10.0.0.2", port,
                Map.of("version", "1"), false, 0, 0);
    }

    static HealthCheck check(String node, String checkId, String serviceId) {
        return check(node, checkId, serviceId, CheckStatus.PASSING);
    }

    static HealthCheck check(String node, String checkId, String serviceId, CheckStatus status) {
        return new HealthCheck(node, checkId, "check " + checkId, status, "", "ok", serviceId, "", "ttl", 0, 0);
    }

    static Session session(String id, String node, SessionBehavior behavior) {
        return new Session(id, "lock", node, 15_000, behavior, 30_000, List.of(), List.of(), 0, 0, 0);
    }

    /** A plain prepared query: look up {@code service}, failing over to the two nearest datacenters, then dc3. */
    static PreparedQuery preparedQuery(String id, String name, String service) {
        return new PreparedQuery(id, name, "", "", new PreparedQuery.ServiceQuery(service, 2, List.of("dc3"), false,
                List.of(), "", List.of("primary"), Map.of(), Map.of("version", "2")), "10s", null, 0, 0);
    }

    static List<String> keys(List<KvEntry> entries) {
        return entries.stream().map(KvEntry::key).collect(Collectors.toList());
    }

    /** KvEntry.equals compares the value array by reference; this compares by content. */
    static String describe(KvEntry e) {
        if (e == null) {
            return "null";
        }
        return e.key() + "|" + (e.value() == null ? "<null>" : Base64.getEncoder().encodeToString(e.value()))
                + "|" + e.flags() + "|" + e.createIndex() + "|" + e.modifyIndex() + "|" + e.lockIndex() + "|"
                + e.session();
    }

    static List<String> describe(List<KvEntry> entries) {
        return entries.stream().map(Fixtures::describe).collect(Collectors.toList());
    }

    /** A store driven with increasing indexes; entry time is derived from the index. */
    static final class Harness {
        final Store store = new Store();
        private long index;

        Outcome apply(Command command) {
            index++;
            return store.apply(index, timeOf(index), command);
        }

        /** Applies at an explicit index (must be above the last one). */
        Outcome applyAt(long at, Command command) {
            index = at;
            return store.apply(at, timeOf(at), command);
        }

        long index() {
            return index;
        }

        static long timeOf(long index) {
            return T0 + index * 1000;
        }

        KvEntry get(String key) {
            return store.kvGet(key).value();
        }

        long keyIndex(String key) {
            return store.kvGet(key).index();
        }

        long prefixIndex(String prefix) {
            return store.kvList(prefix).index();
        }

        List<String> list(String prefix) {
            return keys(store.kvList(prefix).value());
        }

        Map<Table, Long> tableIndexes() {
            Map<Table, Long> m = new java.util.EnumMap<>(Table.class);
            for (Table t : Table.values()) {
                m.put(t, store.tableIndex(t));
            }
            return m;
        }

        byte[] snapshot() {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try {
                store.writeSnapshot(out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}
