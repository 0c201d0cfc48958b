package dev.beacon.state;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.bytes;
import static dev.beacon.state.Fixtures.check;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.service;
import static dev.beacon.state.Fixtures.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replicated log's format: every command and outcome round-trips, tags are pinned, corrupt input fails loudly. */
class CommandCodecTest {

    /** Simple names of every permitted subclass of {@link Command}; also used by {@link DeterminismTest}. */
    static List<String> permittedNames() {
        return Arrays.stream(Command.class.getPermittedSubclasses()).map(Class::getSimpleName).toList();
    }

    /** At least one instance of every command type, with awkward field values. */
    static List<Command> samples() {
        return List.of(
                new Command.KvSet("app/config", bytes("hello"), 42, Command.NO_CAS),
                new Command.KvSet("日本/ключ/🚀", null, -1L, 0),
                new Command.KvSet("", new byte[0], 0, 7),
                new Command.KvSetIfChanged("app/config", bytes("hello"), 42, Command.NO_CAS),
                new Command.KvSetIfChanged("日本/ключ", null, -1L, 0),
                new Command.KvDelete("app/", true, Command.NO_CAS),
                new Command.KvDelete("app/key", false, 12),
                new Command.RegisterNode(richNode()),
                new Command.RegisterNode(new Node("bare", null, null, null, Map.of(), Map.of(), 0, 0)),
                new Command.DeregisterNode("n1"),
                new Command.RegisterService(richService()),
                new Command.RegisterService(serviceWithExtras()),
                new Command.DeregisterService("n1", "web-1"),
                new Command.RegisterCheck(check("n1", "service:web-1", "web-1", CheckStatus.CRITICAL)),
                new Command.RegisterCheck(check("n1", "serfHealth", "", CheckStatus.WARNING)),
                new Command.DeregisterCheck("n1", "serfHealth"),
                new Command.CreateSession(richSession()),
                new Command.CreateSession(new Session("s-2", null, "n2", 0, SessionBehavior.RELEASE, 0, List.of(),
                        List.of(), 0, 0, 0)),
                new Command.DestroySession("adf4238a-882b-9ddc-4a9d-5b6758e4159e"),
                new Command.ReapTombstones(Long.MAX_VALUE),
                new Command.KvLock("service/web/leader", bytes("node-1"), 3, "adf4238a-882b"),
                new Command.KvLock("lock", null, 0, "s"),
                new Command.KvUnlock("service/web/leader", new byte[0], -1L, "adf4238a-882b"),
                new Command.Txn(List.of(
                        new TxnOp(TxnOp.Verb.SET, "a", bytes("1"), 3, 0, null),
                        new TxnOp(TxnOp.Verb.CHECK_INDEX, "b", null, 0, Long.MAX_VALUE, null),
                        new TxnOp(TxnOp.Verb.LOCK, "c", new byte[0], -1L, 0, "s1"),
                        new TxnOp(TxnOp.Verb.DELETE_TREE, "", null, 0, 0, null))),
                new Command.Txn(List.of()),
                new Command.Txn(List.of(
                        new CatalogTxnOp.OnNode(CatalogTxnOp.Verb.CAS, richNode(), 7),
                        new TxnOp(TxnOp.Verb.SET, "a", bytes("1"), 3, 0, null),
                        new CatalogTxnOp.OnService(CatalogTxnOp.Verb.DELETE_CAS, richService(), Long.MAX_VALUE),
                        new CatalogTxnOp.OnCheck(CatalogTxnOp.Verb.GET,
                                check("n1", "serfHealth", "", CheckStatus.WARNING), 0))),
                new Command.CatalogRegister(richNode(), richService(),
                        List.of(check("n1", "service:web-1", "web-1", CheckStatus.PASSING))),
                new Command.CatalogRegister(new Node("bare", null, null, null, Map.of(), Map.of(), 0, 0), null,
                        List.of()),
                new Command.RenewSession("adf4238a-882b-9ddc-4a9d-5b6758e4159e"),
                new Command.ExpireSession("s-2"),
                new Command.FireEvent(new Event("b54fe110-7af5-cafc-d1fb-afc8ba432b1c", "deploy", bytes("v1.2"),
                        "web-.*", "api", "blue", 0)),
                new Command.FireEvent(new Event("e2", "", null, "", "", "", 7)),
                new Command.SetAlarm("127.0.0.1:8300", Alarm.NOSPACE, true),
                new Command.SetAlarm("[::1]:8300", Alarm.NOSPACE, false),
                new Command.RestoreState(bytes("BCNS and a snapshot's bytes")),
                new Command.AdvanceIndex(),
                new Command.AclBootstrap(new AclToken("acc-1", "secret-1", "Bootstrap Token", List.of(), List.of(),
                        false, 0, 0, 0, 0), false),
                new Command.AclBootstrap(new AclToken("acc-2", "secret-2", "", List.of(), List.of(), false, 0, 0,
                        0, 0), true),
                new Command.AclInitialize(),
                new Command.AclSetPolicy(new AclPolicy("p-1", "kv-read", "reads", "key_prefix \"\" { policy = "
                        + "\"read\" }", List.of("dc1", "dc2"), 0, 0)),
                new Command.AclDeletePolicy("p-1"),
                new Command.AclSetToken(new AclToken("acc-3", "secret-3", "app", List.of("p-1"), List.of("r-1"),
                        true, 0, 0, 0, 0), 60_000),
                new Command.AclDeleteToken("acc-3"),
                new Command.AclSetRole(new AclRole("r-1", "readers", "", List.of("p-1", "p-2"), 0, 0)),
                new Command.AclDeleteRole("r-1"),
                new Command.AclExpireToken("acc-3"),
                new Command.KvPut("a/b", bytes("v"), false, 30_000, false, null, null, 0, false),
                new Command.KvPut("q", null, true, 0, true, Boolean.TRUE, bytes("old"), 7, true),
                new Command.KvPut("", new byte[0], false, 0, false, Boolean.FALSE, null, 0, false),
                new Command.KvRemove("a", true, true, null, 0),
                new Command.KvRemove("a/b", false, false, bytes("v"), 9),
                new Command.KvExpire("a/", 1_700_000_000_000L),
                new Command.KvSetExpiring("app/lease", bytes("holder"), 3, Command.NO_CAS, 30_000),
                new Command.KvSetExpiring("x", null, 0, 0, 1),
                new Command.RestoreStage("r-1", 0, bytes("BCNS")),
                new Command.RestoreStage("r-1", 7, new byte[0]),
                new Command.RestoreCommit("r-1", 8, 16_000_000L),
                new Command.PreparedQuerySet(Fixtures.preparedQuery("q-1", "db-failover", "db"), true),
                new Command.PreparedQuerySet(new PreparedQuery("q-2", "", "s-1", "tok",
                        new PreparedQuery.ServiceQuery("${name.suffix}", 0, List.of(), true, List.of("serfHealth"),
                                "_agent", List.of("!canary"), Map.of("rack", "r1"), Map.of()), "",
                        new PreparedQuery.Template(PreparedQuery.Template.NAME_PREFIX_MATCH, "^(.*)$", true), 0, 0),
                        false),
                new Command.PreparedQueryDelete("q-1"));
    }

    private static Node richNode() {
        Map<String, String> tagged = new LinkedHashMap<>();
        tagged.put("wan", "203.0.113.7");
        tagged.put("lan", "10.0.0.1");
        tagged.put("lan_ipv6", "fd00::1");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("rack", "r1");
        meta.put("zone", "eu-west-1a");
        meta.put("ключ", "значение");
        meta.put("empty", "");
        return new Node("n1", "uuid-n1", "10.0.0.1", "dc1", tagged, meta, 3, 9);
    }

    private static ServiceInstance richService() {
        return new ServiceInstance("n1", "web-1", "web", List.of("v2", "primary", "v1", "日本"), "10.0.0.2", 65535,
                Map.of("version", "2", "owner", "team-a", "weight", "10"), true, 4, 11);
    }

    /** Every one of Consul's extra service fields set, the JSON ones with text beyond ASCII. */
    static ServiceInstance serviceWithExtras() {
        return new ServiceInstance("n1", "proxy-1", "web-proxy", List.of(), "", 21000, Map.of(), false,
                new ServiceExtras("connect-proxy", 10, 0, Map.of("wan", new ServiceExtras.ServiceAddress(
                        "198.51.100.1", 443), "lan", new ServiceExtras.ServiceAddress("10.0.0.2", 21000)),
                        "/run/p.sock", "{\"DestinationServiceName\":\"wéb\"}", "{\"Native\":true}"), 3, 4);
    }

    private static Session richSession() {
        return new Session("adf4238a-882b-9ddc-4a9d-5b6758e4159e", "leader-lock", "n1", 15_000,
                SessionBehavior.DELETE, 30_000, List.of("serfHealth"), List.of("service:web-1", "service:db"), 5, 6,
                Fixtures.T0 + 123);
    }

    private static Command roundTrip(Command command) {
        return CommandCodec.decode(CommandCodec.encode(command));
    }

    /** Compares every field, byte arrays by content (record equals compares arrays by reference). */
    private static void assertSameCommand(Command actual, Command expected) {
        assertThat(actual).isNotNull();
        assertThat(actual.getClass()).isEqualTo(expected.getClass());
        assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
    }

    private static byte[] raw(RawWriter writer) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private interface RawWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static void writeStr(DataOutputStream out, String s) throws IOException {
        byte[] b = bytes(s);
        out.writeInt(b.length);
        out.write(b);
    }

    /** Index of the only byte at which two equally long encodings differ. */
    private static int onlyDifference(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        int at = -1;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                assertThat(at).as("more than one differing byte").isEqualTo(-1);
                at = i;
            }
        }
        assertThat(at).as("no differing byte").isNotNegative();
        return at;
    }

    private static void assertCorrupt(byte[] bytes) {
        assertThatThrownBy(() -> CommandCodec.decode(bytes))
                .as("decode of %s", HexFormat.of().formatHex(bytes))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    // ---- round trips, per command type ----

    @Test
    void kvSetRoundTripsAllFields() {
        Command.KvSet original = new Command.KvSet("app/config", bytes("hello"), 42, 17);

        Command.KvSet decoded = (Command.KvSet) roundTrip(original);

        assertThat(decoded.key()).isEqualTo("app/config");
        assertThat(decoded.value()).containsExactly(bytes("hello"));
        assertThat(decoded.flags()).isEqualTo(42);
        assertThat(decoded.cas()).isEqualTo(17);
    }

    @Test
    void kvSetNullValueStaysNull() {
        Command.KvSet decoded = (Command.KvSet) roundTrip(new Command.KvSet("k", null, 0, Command.NO_CAS));

        assertThat(decoded.value()).isNull();
        assertThat(decoded.key()).isEqualTo("k");
    }

    @Test
    void kvSetEmptyValueStaysEmptyNotNull() {
        Command.KvSet decoded = (Command.KvSet) roundTrip(new Command.KvSet("k", new byte[0], 0, Command.NO_CAS));

        assertThat(decoded.value()).isNotNull().isEmpty();
    }

    @Test
    void kvSetUint64MaxFlagsTravelAsMinusOne() {
        Command.KvSet decoded = (Command.KvSet) roundTrip(new Command.KvSet("k", bytes("v"), -1L, Command.NO_CAS));

        assertThat(decoded.flags()).isEqualTo(-1L);
        assertThat(Long.toUnsignedString(decoded.flags())).isEqualTo("18446744073709551615");
    }

    @Test
    void kvSetCasValuesRoundTrip() {
        for (long cas : new long[] {Command.NO_CAS, 0, 1, Long.MAX_VALUE}) {
            Command.KvSet decoded = (Command.KvSet) roundTrip(new Command.KvSet("k", bytes("v"), 0, cas));
            assertThat(decoded.cas()).as("cas %d", cas).isEqualTo(cas);
        }
    }

    @Test
    void kvSetUnicodeKeyRoundTrips() {
        String key = "日本/ключ/🚀/a,b/\uffff/\u0000/é";

        Command.KvSet decoded = (Command.KvSet) roundTrip(new Command.KvSet(key, bytes("v"), 0, Command.NO_CAS));

        assertThat(decoded.key()).isEqualTo(key);
    }

    @Test
    void kvSetEmptyKeyRoundTripsAsEmpty() {
        Command.KvSet decoded = (Command.KvSet) roundTrip(new Command.KvSet("", bytes("v"), 0, Command.NO_CAS));

        assertThat(decoded.key()).isNotNull().isEmpty();
    }

    @Test
    void kvSetBinaryValueRoundTripsEveryByte() {
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }

        Command.KvSet decoded = (Command.KvSet) roundTrip(new Command.KvSet("bin", value.clone(), 0, Command.NO_CAS));

        assertThat(decoded.value()).containsExactly(value);
    }

    @Test
    void kvSetDecodedValueIsAFreshArray() {
        byte[] value = bytes("v");

        Command.KvSet decoded = (Command.KvSet) roundTrip(new Command.KvSet("k", value, 0, Command.NO_CAS));

        assertThat(decoded.value()).isNotSameAs(value).containsExactly(value);
    }

    @Test
    void kvDeleteRoundTripsWithRecurseAndCas() {
        assertThat(roundTrip(new Command.KvDelete("app/", true, Command.NO_CAS)))
                .isEqualTo(new Command.KvDelete("app/", true, Command.NO_CAS));
        assertThat(roundTrip(new Command.KvDelete("app/key", false, 12)))
                .isEqualTo(new Command.KvDelete("app/key", false, 12));
    }

    @Test
    void kvDeleteUnicodeKeyRoundTrips() {
        assertThat(roundTrip(new Command.KvDelete("日本/🚀", false, 0)))
                .isEqualTo(new Command.KvDelete("日本/🚀", false, 0));
    }

    @Test
    void registerNodeRoundTripsAllFieldsAndMaps() {
        Command.RegisterNode decoded = (Command.RegisterNode) roundTrip(new Command.RegisterNode(richNode()));

        Node n = decoded.node();
        assertThat(n.name()).isEqualTo("n1");
        assertThat(n.id()).isEqualTo("uuid-n1");
        assertThat(n.address()).isEqualTo("10.0.0.1");
        assertThat(n.datacenter()).isEqualTo("dc1");
        assertThat(n.taggedAddresses()).containsExactlyInAnyOrderEntriesOf(
                Map.of("wan", "203.0.113.7", "lan", "10.0.0.1", "lan_ipv6", "fd00::1"));
        assertThat(n.meta()).containsExactlyInAnyOrderEntriesOf(
                Map.of("rack", "r1", "zone", "eu-west-1a", "ключ", "значение", "empty", ""));
        assertThat(n.createIndex()).isEqualTo(3);
        assertThat(n.modifyIndex()).isEqualTo(9);
        assertThat(n).isEqualTo(richNode());
    }

    @Test
    void registerNodeWithNullOptionalStringsDecodesAsEmpty() {
        Node bare = new Node("bare", null, null, null, Map.of(), Map.of(), 0, 0);

        Node decoded = ((Command.RegisterNode) roundTrip(new Command.RegisterNode(bare))).node();

        assertThat(decoded.id()).isEmpty();
        assertThat(decoded.address()).isEmpty();
        assertThat(decoded.datacenter()).isEmpty();
        assertThat(decoded.taggedAddresses()).isEmpty();
        assertThat(decoded.meta()).isEmpty();
        assertThat(decoded).isEqualTo(bare);
    }

    @Test
    void registerNodeFixtureRoundTrips() {
        assertThat(roundTrip(new Command.RegisterNode(node("n7", "10.1.2.3"))))
                .isEqualTo(new Command.RegisterNode(node("n7", "10.1.2.3")));
    }

    @Test
    void deregisterNodeRoundTrips() {
        assertThat(roundTrip(new Command.DeregisterNode("n1"))).isEqualTo(new Command.DeregisterNode("n1"));
        assertThat(roundTrip(new Command.DeregisterNode("ノード")))
                .isEqualTo(new Command.DeregisterNode("ノード"));
    }

    @Test
    void registerServiceRoundTripsAllFields() {
        ServiceInstance s = ((Command.RegisterService) roundTrip(new Command.RegisterService(richService())))
                .service();

        assertThat(s.node()).isEqualTo("n1");
        assertThat(s.id()).isEqualTo("web-1");
        assertThat(s.service()).isEqualTo("web");
        assertThat(s.tags()).containsExactly("v2", "primary", "v1", "日本");
        assertThat(s.address()).isEqualTo("10.0.0.2");
        assertThat(s.port()).isEqualTo(65535);
        assertThat(s.meta()).containsExactlyInAnyOrderEntriesOf(
                Map.of("version", "2", "owner", "team-a", "weight", "10"));
        assertThat(s.enableTagOverride()).isTrue();
        assertThat(s.createIndex()).isEqualTo(4);
        assertThat(s.modifyIndex()).isEqualTo(11);
        assertThat(s).isEqualTo(richService());
    }

    @Test
    void registerServiceWithNoTagsOrMetaRoundTrips() {
        ServiceInstance plain = new ServiceInstance("n1", "db", null, List.of(), null, 0, Map.of(), false, 0, 0);

        assertThat(roundTrip(new Command.RegisterService(plain))).isEqualTo(new Command.RegisterService(plain));
    }

    @Test
    void registerServiceFixtureRoundTrips() {
        assertThat(roundTrip(new Command.RegisterService(service("n1", "api-1", "api", 9000))))
                .isEqualTo(new Command.RegisterService(service("n1", "api-1", "api", 9000)));
    }

    @Test
    void deregisterServiceRoundTrips() {
        assertThat(roundTrip(new Command.DeregisterService("n1", "web-1")))
                .isEqualTo(new Command.DeregisterService("n1", "web-1"));
    }

    @Test
    void registerCheckRoundTripsAllFields() {
        HealthCheck original = new HealthCheck("n1", "service:web-1", "Web health", CheckStatus.WARNING,
                "notes ✓", "HTTP 429\nretry", "web-1", "web", "http", 8, 13);

        HealthCheck c = ((Command.RegisterCheck) roundTrip(new Command.RegisterCheck(original))).check();

        assertThat(c.node()).isEqualTo("n1");
        assertThat(c.checkId()).isEqualTo("service:web-1");
        assertThat(c.name()).isEqualTo("Web health");
        assertThat(c.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(c.notes()).isEqualTo("notes ✓");
        assertThat(c.output()).isEqualTo("HTTP 429\nretry");
        assertThat(c.serviceId()).isEqualTo("web-1");
        assertThat(c.serviceName()).isEqualTo("web");
        assertThat(c.type()).isEqualTo("http");
        assertThat(c.createIndex()).isEqualTo(8);
        assertThat(c.modifyIndex()).isEqualTo(13);
        assertThat(c).isEqualTo(original);
    }

    @Test
    void registerCheckRoundTripsEveryStatus() {
        for (CheckStatus status : CheckStatus.values()) {
            HealthCheck c = check("n1", "c1", "", status);
            assertThat(roundTrip(new Command.RegisterCheck(c))).as("status %s", status)
                    .isEqualTo(new Command.RegisterCheck(c));
        }
    }

    @Test
    void deregisterCheckRoundTrips() {
        assertThat(roundTrip(new Command.DeregisterCheck("n1", "serfHealth")))
                .isEqualTo(new Command.DeregisterCheck("n1", "serfHealth"));
    }

    @Test
    void createSessionRoundTripsAllFields() {
        Session s = ((Command.CreateSession) roundTrip(new Command.CreateSession(richSession()))).session();

        assertThat(s.id()).isEqualTo("adf4238a-882b-9ddc-4a9d-5b6758e4159e");
        assertThat(s.name()).isEqualTo("leader-lock");
        assertThat(s.node()).isEqualTo("n1");
        assertThat(s.lockDelayMillis()).isEqualTo(15_000);
        assertThat(s.behavior()).isEqualTo(SessionBehavior.DELETE);
        assertThat(s.ttlMillis()).isEqualTo(30_000);
        assertThat(s.nodeChecks()).containsExactly("serfHealth");
        assertThat(s.serviceChecks()).containsExactly("service:web-1", "service:db");
        assertThat(s.createIndex()).isEqualTo(5);
        assertThat(s.modifyIndex()).isEqualTo(6);
        assertThat(s.renewedAt()).isEqualTo(Fixtures.T0 + 123);
        assertThat(s).isEqualTo(richSession());
    }

    @Test
    void createSessionNullNameBecomesEmptyAndEmptyChecksRoundTrip() {
        Session s = new Session("s-2", null, "n2", 0, SessionBehavior.RELEASE, 0, List.of(), List.of(), 0, 0, 0);

        Session decoded = ((Command.CreateSession) roundTrip(new Command.CreateSession(s))).session();

        assertThat(decoded.name()).isEmpty();
        assertThat(decoded.nodeChecks()).isEmpty();
        assertThat(decoded).isEqualTo(s);
    }

    @Test
    void createSessionRoundTripsEveryBehavior() {
        for (SessionBehavior behavior : SessionBehavior.values()) {
            Session s = session("s-" + behavior, "n1", behavior);
            assertThat(roundTrip(new Command.CreateSession(s))).as("behavior %s", behavior)
                    .isEqualTo(new Command.CreateSession(s));
        }
    }

    @Test
    void destroySessionRoundTrips() {
        assertThat(roundTrip(new Command.DestroySession("s-1"))).isEqualTo(new Command.DestroySession("s-1"));
    }

    @Test
    void reapTombstonesRoundTrips() {
        for (long upTo : new long[] {0, 1, 1_000_000, Long.MAX_VALUE}) {
            assertThat(roundTrip(new Command.ReapTombstones(upTo))).isEqualTo(new Command.ReapTombstones(upTo));
        }
    }

    @Test
    void everySampleRoundTripsWithAllFieldsCompared() {
        for (Command sample : samples()) {
            assertSameCommand(roundTrip(sample), sample);
        }
    }

    @Test
    void samplesCoverEveryPermittedCommandType() {
        Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());

        assertThat(sampled).containsExactlyInAnyOrder(Command.class.getPermittedSubclasses());
    }

    @Test
    void permittedNamesListsEveryCommandType() {
        assertThat(permittedNames()).containsExactlyInAnyOrder("KvSet", "KvDelete", "RegisterNode",
                "DeregisterNode", "RegisterService", "DeregisterService", "RegisterCheck", "DeregisterCheck",
                "CreateSession", "DestroySession", "ReapTombstones", "KvLock", "KvUnlock", "Txn", "CatalogRegister",
                "RenewSession", "ExpireSession", "FireEvent", "SetAlarm", "RestoreState", "AdvanceIndex",
                "AclBootstrap", "AclInitialize", "AclSetPolicy", "AclDeletePolicy", "AclSetToken", "AclDeleteToken",
                "AclSetRole", "AclDeleteRole", "AclExpireToken", "KvPut", "KvRemove", "KvExpire",
                "KvSetExpiring", "RestoreStage", "RestoreCommit", "PreparedQuerySet", "PreparedQueryDelete",
                "KvSetIfChanged");
    }

    @Test
    void equalCommandsEncodeToEqualBytesRegardlessOfMapInsertionOrder() {
        Map<String, String> forward = new LinkedHashMap<>();
        Map<String, String> backward = new LinkedHashMap<>();
        String[] keys = {"a", "b", "c", "d", "e", "f", "g", "h"};
        for (int i = 0; i < keys.length; i++) {
            forward.put(keys[i], "v" + i);
            backward.put(keys[keys.length - 1 - i], "v" + (keys.length - 1 - i));
        }
        Node a = new Node("n", "id", "addr", "dc", forward, backward, 1, 2);
        Node b = new Node("n", "id", "addr", "dc", backward, forward, 1, 2);

        assertThat(CommandCodec.encode(new Command.RegisterNode(a)))
                .isEqualTo(CommandCodec.encode(new Command.RegisterNode(b)));
    }

    // ---- outcomes ----

    @Test
    void successOutcomeRoundTrips() {
        assertThat(CommandCodec.decodeOutcome(CommandCodec.encode(Outcome.ok(42))))
                .isEqualTo(new Outcome(42, true, null));
    }

    @Test
    void anEtcdWritesOutcomeCarriesItsEvent() {
        KvEvent event = new KvEvent(KvEvent.COMPARE_AND_SWAP, 9, new KvEntry("a/b", bytes("new"), 0, 3, 9, 0, null),
                new KvEntry("a/b", bytes("old"), 0, 3, 5, 0, null), 1_700_000_005_000L, 0);
        Outcome outcome = new Outcome(9, true, null, List.of(event), List.of());
        assertThat(CommandCodec.decodeOutcome(CommandCodec.encode(outcome))).usingRecursiveComparison()
                .isEqualTo(outcome);
        KvEvent deleted = new KvEvent(KvEvent.DELETE, 10, new KvEntry("d/", null, 0, 2, 10, 0, null), null, 0, 0);
        Outcome removal = new Outcome(10, true, null, List.of(deleted), List.of());
        assertThat(CommandCodec.decodeOutcome(CommandCodec.encode(removal))).usingRecursiveComparison()
                .isEqualTo(removal);
    }

    @Test
    void refusedOutcomeRoundTrips() {
        assertThat(CommandCodec.decodeOutcome(CommandCodec.encode(Outcome.refused(7))))
                .isEqualTo(new Outcome(7, false, null));
    }

    @Test
    void errorOutcomeRoundTripsWithMessage() {
        Outcome decoded = CommandCodec.decodeOutcome(
                CommandCodec.encode(Outcome.error(Long.MAX_VALUE, "unknown node \"n9\" — ノード")));

        assertThat(decoded.index()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoded.success()).isFalse();
        assertThat(decoded.error()).isEqualTo("unknown node \"n9\" — ノード");
    }

    @Test
    void errorOutcomeWithEmptyMessageStaysEmptyNotNull() {
        assertThat(CommandCodec.decodeOutcome(CommandCodec.encode(Outcome.error(3, ""))).error())
                .isNotNull().isEmpty();
    }

    @Test
    void transactionResultsOfEveryKindRoundTripInOrder() {
        List<TxnResult> results = List.of(
                new KvEntry("k", bytes("v"), 1, 2, 3, 0, null),
                richNode().withIndexes(4, 5),
                richService().withIndexes(6, 7),
                check("n1", "c", "", CheckStatus.CRITICAL).stored(8, 9, null, 1_700_000_000_000L));
        Outcome outcome = new Outcome(9, true, null, results, List.of());

        Outcome decoded = CommandCodec.decodeOutcome(CommandCodec.encode(outcome));

        assertThat(decoded.results()).hasSize(4);
        assertThat(decoded.results().get(0)).isInstanceOf(KvEntry.class);
        assertThat(decoded.results().subList(1, 4)).containsExactlyElementsOf(results.subList(1, 4));
        assertThat(decoded.results()).extracting(TxnResult::modifyIndex).containsExactly(3L, 5L, 7L, 9L);
    }

    @Test
    void everyTruncationOfAnOutcomeThrows() {
        byte[] full = CommandCodec.encode(Outcome.error(9, "boom"));
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThatThrownBy(() -> CommandCodec.decodeOutcome(cut)).as("cut at %d/%d", len, full.length)
                    .isInstanceOf(UncheckedIOException.class);
        }
    }

    // ---- pinned on-disk format ----

    @Test
    void tagBytesArePinned() {
        Map<Class<?>, Integer> expected = Map.ofEntries(
                Map.entry(Command.KvSet.class, 1),
                Map.entry(Command.KvDelete.class, 2),
                Map.entry(Command.RegisterNode.class, 3),
                Map.entry(Command.DeregisterNode.class, 4),
                Map.entry(Command.RegisterService.class, 5),
                Map.entry(Command.DeregisterService.class, 6),
                Map.entry(Command.RegisterCheck.class, 7),
                Map.entry(Command.DeregisterCheck.class, 8),
                Map.entry(Command.CreateSession.class, 9),
                Map.entry(Command.DestroySession.class, 10),
                Map.entry(Command.ReapTombstones.class, 11),
                Map.entry(Command.KvLock.class, 12),
                Map.entry(Command.KvUnlock.class, 13),
                Map.entry(Command.Txn.class, 14),
                Map.entry(Command.CatalogRegister.class, 15),
                Map.entry(Command.RenewSession.class, 16),
                Map.entry(Command.ExpireSession.class, 17),
                Map.entry(Command.FireEvent.class, 18),
                Map.entry(Command.SetAlarm.class, 19),
                Map.entry(Command.RestoreState.class, 20),
                Map.entry(Command.AdvanceIndex.class, 21),
                Map.entry(Command.AclBootstrap.class, 22),
                Map.entry(Command.AclInitialize.class, 23),
                Map.entry(Command.AclSetPolicy.class, 24),
                Map.entry(Command.AclDeletePolicy.class, 25),
                Map.entry(Command.AclSetToken.class, 26),
                Map.entry(Command.AclDeleteToken.class, 27),
                Map.entry(Command.AclSetRole.class, 28),
                Map.entry(Command.AclDeleteRole.class, 29),
                Map.entry(Command.AclExpireToken.class, 30),
                Map.entry(Command.KvPut.class, 31),
                Map.entry(Command.KvRemove.class, 32),
                Map.entry(Command.KvExpire.class, 33),
                Map.entry(Command.KvSetExpiring.class, 34),
                Map.entry(Command.RestoreStage.class, 35),
                Map.entry(Command.RestoreCommit.class, 36),
                Map.entry(Command.PreparedQuerySet.class, 37),
                Map.entry(Command.PreparedQueryDelete.class, 38),
                Map.entry(Command.KvSetIfChanged.class, 39));
        assertThat(expected.keySet()).containsExactlyInAnyOrder(Command.class.getPermittedSubclasses());

        for (Command sample : samples()) {
            assertThat(CommandCodec.encode(sample)[0] & 0xff).as("tag of %s", sample.getClass().getSimpleName())
                    .isEqualTo(expected.get(sample.getClass()));
        }
    }

    @Test
    void alarmCodesArePinned() {
        assertThat(CommandCodec.encode(new Command.SetAlarm("m", Alarm.NOSPACE, true)))
                .containsExactly(19, 0, 0, 0, 1, 'm', 1, 1);
    }

    @Test
    void anUnknownAlarmCodeIsCorrupt() {
        assertCorrupt(new byte[] {19, 0, 0, 0, 1, 'm', 99, 1});
    }

    @Test
    void kvSetTagIsOne() {
        assertThat(CommandCodec.encode(new Command.KvSet("k", null, 0, 0))[0]).isEqualTo((byte) 1);
    }

    @Test
    void kvDeleteTagIsTwo() {
        assertThat(CommandCodec.encode(new Command.KvDelete("k", false, 0))[0]).isEqualTo((byte) 2);
    }

    @Test
    void registerNodeTagIsThree() {
        assertThat(CommandCodec.encode(new Command.RegisterNode(node("n1")))[0]).isEqualTo((byte) 3);
    }

    @Test
    void deregisterNodeTagIsFour() {
        assertThat(CommandCodec.encode(new Command.DeregisterNode("n1"))[0]).isEqualTo((byte) 4);
    }

    @Test
    void registerServiceTagIsFive() {
        assertThat(CommandCodec.encode(new Command.RegisterService(service("n1", "s", "s")))[0])
                .isEqualTo((byte) 5);
    }

    @Test
    void deregisterServiceTagIsSix() {
        assertThat(CommandCodec.encode(new Command.DeregisterService("n1", "s"))[0]).isEqualTo((byte) 6);
    }

    @Test
    void registerCheckTagIsSeven() {
        assertThat(CommandCodec.encode(new Command.RegisterCheck(check("n1", "c", "")))[0]).isEqualTo((byte) 7);
    }

    @Test
    void deregisterCheckTagIsEight() {
        assertThat(CommandCodec.encode(new Command.DeregisterCheck("n1", "c"))[0]).isEqualTo((byte) 8);
    }

    @Test
    void createSessionTagIsNine() {
        assertThat(CommandCodec.encode(new Command.CreateSession(session("s", "n1", SessionBehavior.RELEASE)))[0])
                .isEqualTo((byte) 9);
    }

    @Test
    void destroySessionTagIsTen() {
        assertThat(CommandCodec.encode(new Command.DestroySession("s"))[0]).isEqualTo((byte) 10);
    }

    @Test
    void reapTombstonesTagIsEleven() {
        assertThat(CommandCodec.encode(new Command.ReapTombstones(1))[0]).isEqualTo((byte) 11);
    }

    @Test
    void smallKvSetEncodingIsPinnedByteForByte() {
        byte[] encoded = CommandCodec.encode(new Command.KvSet("k", bytes("v"), 1, Command.NO_CAS));

        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(
                "01"                        // tag KV_SET
                        + "00000001" + "6b"         // key "k"
                        + "00000001" + "76"         // value "v"
                        + "0000000000000001"        // flags 1
                        + "ffffffffffffffff");      // cas NO_CAS
    }

    @Test
    void nullKvValueIsEncodedAsLengthMinusOne() {
        byte[] encoded = CommandCodec.encode(new Command.KvSet("k", null, 0, 0));

        assertThat(HexFormat.of().formatHex(encoded))
                .isEqualTo("01" + "00000001" + "6b" + "ffffffff" + "0000000000000000" + "0000000000000000");
    }

    // ---- corrupt input ----

    @Test
    void emptyInputThrows() {
        assertCorrupt(new byte[0]);
    }

    @Test
    void unknownTagsThrow() {
        for (int tag : new int[] {0, 63, 127, 128, 255}) {
            assertThatThrownBy(() -> CommandCodec.decode(new byte[] {(byte) tag, 0, 0, 0, 0}))
                    .as("tag %d", tag)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasRootCauseMessage("unknown command tag " + tag);
        }
    }

    @Test
    void everyTruncationOfEverySampleThrows() {
        for (Command sample : samples()) {
            byte[] full = CommandCodec.encode(sample);
            for (int len = 0; len < full.length; len++) {
                byte[] cut = Arrays.copyOf(full, len);
                assertThatThrownBy(() -> CommandCodec.decode(cut))
                        .as("%s cut at %d/%d", sample.getClass().getSimpleName(), len, full.length)
                        .isInstanceOf(UncheckedIOException.class)
                        .hasCauseInstanceOf(EOFException.class);
            }
        }
    }

    @Test
    void negativeStringLengthThrows() {
        for (int length : new int[] {-2, -100, Integer.MIN_VALUE}) {
            assertCorrupt(raw(out -> {
                out.writeByte(4);   // DeregisterNode
                out.writeInt(length);
                out.write(new byte[16]);
            }));
        }
    }

    @Test
    void negativeValueLengthThrows() {
        assertCorrupt(raw(out -> {
            out.writeByte(1);       // KvSet
            writeStr(out, "k");
            out.writeInt(-7);
            out.write(new byte[32]);
        }));
    }

    @Test
    void hugeStringLengthThrowsUncheckedNotOutOfMemory() {
        byte[] corrupt = raw(out -> {
            out.writeByte(4);       // DeregisterNode
            out.writeInt(Integer.MAX_VALUE - 1);
            out.write(bytes("n1"));
        });

        assertThatThrownBy(() -> CommandCodec.decode(corrupt))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void hugeValueLengthThrowsUncheckedNotOutOfMemory() {
        for (int length : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 1, Wire.MAX_FIELD_BYTES + 1}) {
            assertCorrupt(raw(out -> {
                out.writeByte(1);   // KvSet
                writeStr(out, "k");
                out.writeInt(length);
                out.write(new byte[16]);
            }));
        }
    }

    @Test
    void hugeListCountThrowsUncheckedNotOutOfMemory() {
        assertCorrupt(raw(out -> {
            out.writeByte(9);       // CreateSession
            writeStr(out, "s");
            writeStr(out, "name");
            writeStr(out, "n1");
            out.writeLong(0);
            out.writeByte(0);
            out.writeLong(0);
            out.writeInt(Integer.MAX_VALUE);    // checks count
            writeStr(out, "serfHealth");
        }));
    }

    @Test
    void negativeListCountThrows() {
        assertCorrupt(raw(out -> {
            out.writeByte(5);       // RegisterService
            writeStr(out, "n1");
            writeStr(out, "web-1");
            writeStr(out, "web");
            out.writeInt(-3);       // tags count
            out.write(new byte[64]);
        }));
    }

    @Test
    void negativeMapCountThrows() {
        assertCorrupt(raw(out -> {
            out.writeByte(3);       // RegisterNode
            writeStr(out, "n1");
            writeStr(out, "id");
            writeStr(out, "addr");
            writeStr(out, "dc1");
            out.writeInt(-1);       // taggedAddresses count
            out.write(new byte[64]);
        }));
    }

    @Test
    void hugeMapCountThrowsUncheckedNotOutOfMemory() {
        assertCorrupt(raw(out -> {
            out.writeByte(3);       // RegisterNode
            writeStr(out, "n1");
            writeStr(out, "id");
            writeStr(out, "addr");
            writeStr(out, "dc1");
            out.writeInt(Integer.MAX_VALUE);    // taggedAddresses count
            writeStr(out, "lan");
            writeStr(out, "10.0.0.1");
        }));
    }

    @Test
    void badCheckStatusCodeThrows() {
        byte[] passing = CommandCodec.encode(new Command.RegisterCheck(check("n1", "c1", "", CheckStatus.PASSING)));
        byte[] critical = CommandCodec.encode(
                new Command.RegisterCheck(check("n1", "c1", "", CheckStatus.CRITICAL)));
        int at = onlyDifference(passing, critical);
        assertThat(passing[at]).isEqualTo((byte) CheckStatus.PASSING.code());

        for (int code : new int[] {CheckStatus.values().length, 200, 255}) {
            byte[] corrupt = passing.clone();
            corrupt[at] = (byte) code;
            assertThatThrownBy(() -> CommandCodec.decode(corrupt)).as("code %d", code)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasRootCauseMessage("unknown CheckStatus code " + code);
        }
    }

    @Test
    void badSessionBehaviorCodeThrows() {
        byte[] release = CommandCodec.encode(new Command.CreateSession(session("s", "n1", SessionBehavior.RELEASE)));
        byte[] delete = CommandCodec.encode(new Command.CreateSession(session("s", "n1", SessionBehavior.DELETE)));
        int at = onlyDifference(release, delete);
        assertThat(release[at]).isEqualTo((byte) SessionBehavior.RELEASE.code());

        for (int code : new int[] {SessionBehavior.values().length, 255}) {
            byte[] corrupt = release.clone();
            corrupt[at] = (byte) code;
            assertThatThrownBy(() -> CommandCodec.decode(corrupt)).as("code %d", code)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasRootCauseMessage("unknown SessionBehavior code " + code);
        }
    }

    @Test
    void strayTrailingBytesAfterEverySampleThrow() {
        for (Command sample : samples()) {
            byte[] full = CommandCodec.encode(sample);
            for (byte[] tail : new byte[][] {{0}, {1}, {(byte) 0xff, 0, 0, 0}}) {
                byte[] padded = Arrays.copyOf(full, full.length + tail.length);
                System.arraycopy(tail, 0, padded, full.length, tail.length);
                assertThatThrownBy(() -> CommandCodec.decode(padded))
                        .as("%s + %d stray bytes", sample.getClass().getSimpleName(), tail.length)
                        .isInstanceOf(UncheckedIOException.class)
                        .hasRootCauseMessage(tail.length + " stray bytes after the end");
            }
        }
    }

    @Test
    void twoConcatenatedCommandsDoNotDecodeAsOne() {
        byte[] a = CommandCodec.encode(new Command.DeregisterNode("n1"));
        byte[] b = CommandCodec.encode(new Command.DestroySession("s"));
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);

        assertCorrupt(both);
    }
}
