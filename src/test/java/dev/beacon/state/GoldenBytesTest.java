package dev.beacon.state;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.bytes;
import static dev.beacon.state.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes written by earlier versions, kept as hex: they must still decode to the same values, and the current code
 * must still write the same bytes for the same values. A failure here means the log or snapshot format changed:
 * version it (and keep reading the old one) rather than update the fixture.
 */
class GoldenBytesTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String NO_HISTORY = "00000000";

    /** Each command as the log holds it. */
    private static final Map<Command, String> COMMANDS = Map.of(
            new Command.KvSet("app/k", bytes("v1"), 7, Command.NO_CAS),
            "01" + "00000005" + "6170702f6b" + "00000002" + "7631" + "0000000000000007" + "ffffffffffffffff",
            new Command.RegisterCheck(new HealthCheck("n1", "serfHealth", "Serf", CheckStatus.CRITICAL, "", "down",
                    "", "", "", 0, 0)),
            "07000000026e310000000a736572664865616c74680000000453657266020000000000000004646f776e000000000000"
                    + "00000000000000000000000000000000000000000000",
            new Command.CreateSession(new Session("s1", "lock", "n1", 15000, SessionBehavior.DELETE, 30000,
                    List.of("serfHealth"), List.of(), 0, 0, 0)),
            "09000000027331000000046c6f636b000000026e310000000000003a98010000000000007530000000010000000a7365"
                    + "72664865616c746800000000000000000000000000000000000000000000000000000000",
            new Command.Txn(List.of(
                    new TxnOp(TxnOp.Verb.CAS, "a", bytes("x"), 1, 5, null),
                    new TxnOp(TxnOp.Verb.DELETE_CAS, "b", null, 0, 9, null),
                    new CatalogTxnOp.OnNode(CatalogTxnOp.Verb.DELETE_CAS,
                            new Node("n2", "", "10.0.0.2", "dc1", Map.of(), Map.of(), 0, 0), 4),
                    new CatalogTxnOp.OnCheck(CatalogTxnOp.Verb.SET,
                            new HealthCheck("n2", "c", "", CheckStatus.WARNING, "", "", "", "", "", 0, 0), 0))),
            "0e00000004010000000161000000017800000000000000010000000000000005ffffffff0b0000000162ffffffff0000"
                    + "0000000000000000000000000009ffffffff8004000000026e32000000000000000831302e302e302e32000000036463"
                    + "3100000000000000000000000000000000000000000000000000000000000000048200000000026e3200000001630000"
                    + "0000010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            new Command.SetAlarm("m1", Alarm.NOSPACE, true),
            "13000000026d310101",
            new Command.RegisterService(new ServiceInstance("n1", "p-1", "p", List.of(), "", 21000, Map.of(), false,
                    new ServiceExtras("connect-proxy", 3, 0, Map.of("wan", new ServiceExtras.ServiceAddress("1.2.3.4",
                            443)), "/s", "{\"A\":1}", ""), 0, 0)),
            "05fffffffe000000026e3100000003702d31000000017000000000000000000000520800000000000000000000000000"
                    + "00000000000000000000000d636f6e6e6563742d70726f78790000000300000000000000010000000377616e00000007"
                    + "312e322e332e34000001bb000000022f73000000077b2241223a317d00000000",
            new Command.AclSetToken(new AclToken("a1", "s1", "app", List.of("p1"), List.of("r1"), true, 0, 0, 0, 0),
                    60_000),
            "1a00000002613100000002733100000003617070000000010000000270310000000100000002723101000000000000"
                    + "0000000000000000000000000000000000000000000000000000000000000000ea60",
            new Command.AclSetPolicy(new AclPolicy("p1", "kv", "", "key \"a\" { policy = \"read\" }", List.of("dc1"),
                    0, 0)),
            "18000000027031000000026b76000000000000001b6b657920226122207b20706f6c696379203d20227265616422207d"
                    + "000000010000000364633100000000000000000000000000000000");

    /** {@link #storeForSnapshot()} as a version 4 snapshot wrote it. */
    private static final String SNAPSHOT_V4 =
            "42434e5300000004000000000000000b0000000600000000000000010000000000000002000000000000000400000000"
            + "000000090000000000000005000000000000000a00000002000000016100000001310000000000000000000000000000"
            + "000600000000000000060000000000000000ffffffff0000000163000000013300000000000000000000000000000009"
            + "000000000000000900000000000000010000000273310000000100000001620000000000000008000000000000000000"
            + "000001000000026e31000000036964310000000831302e302e302e310000000364633100000001000000036c616e0000"
            + "000831302e302e302e31000000000000000000000001000000000000000100000001000000026e31000000057765622d"
            + "310000000377656200000001000000027631000000000000005000000000000000000000000002000000000000000200"
            + "000002000000026e310000000a736572664865616c746800000004536572660100000000000000000000000000000000"
            + "000000047365726600000000000000030000000000000003000000026e31000000037765620000000000000000000000"
            + "0000000000057765622d31000000037765620000000374746c0000000000000004000000000000000400000001000000"
            + "027331000000046c6f636b000000026e3100000000000000000100000000000000000000000000000000000000000000"
            + "000500000000000000050000018bcfe57b8800000001000000026531000000066465706c6f7900000001700000000000"
            + "00000000000000000000000000000a00000001000000026d3101";

    /** {@link #storeForSnapshot()} as version 5 writes it: version 4 plus the service and node indexes at the end. */
    private static final String SNAPSHOT_V5 =
            "42434e5300000005000000000000000b0000000600000000000000010000000000000002000000000000000400000000"
            + "000000090000000000000005000000000000000a00000002000000016100000001310000000000000000000000000000"
            + "000600000000000000060000000000000000ffffffff0000000163000000013300000000000000000000000000000009"
            + "000000000000000900000000000000010000000273310000000100000001620000000000000008000000000000000000"
            + "000001000000026e31000000036964310000000831302e302e302e310000000364633100000001000000036c616e0000"
            + "000831302e302e302e31000000000000000000000001000000000000000100000001000000026e31000000057765622d"
            + "310000000377656200000001000000027631000000000000005000000000000000000000000002000000000000000200"
            + "000002000000026e310000000a736572664865616c746800000004536572660100000000000000000000000000000000"
            + "000000047365726600000000000000030000000000000003000000026e31000000037765620000000000000000000000"
            + "0000000000057765622d31000000037765620000000374746c0000000000000004000000000000000400000001000000"
            + "027331000000046c6f636b000000026e3100000000000000000100000000000000000000000000000000000000000000"
            + "000500000000000000050000018bcfe57b8800000001000000026531000000066465706c6f7900000001700000000000"
            + "00000000000000000000000000000a00000001000000026d310100000001000000037765620000000000000004000000"
            + "01000000026e310000000000000004";

    /**
     * {@link #storeForSnapshot()} as a version 6 snapshot writes it: its checks carry the entry time of their last
     * status change.
     */
    private static final String SNAPSHOT_V6 =
            "42434e5300000006000000000000000b0000000600000000000000010000000000000002000000000000000400000000"
            + "000000090000000000000005000000000000000a00000002000000016100000001310000000000000000000000000000"
            + "000600000000000000060000000000000000ffffffff0000000163000000013300000000000000000000000000000009"
            + "000000000000000900000000000000010000000273310000000100000001620000000000000008000000000000000000"
            + "000001000000026e31000000036964310000000831302e302e302e310000000364633100000001000000036c616e0000"
            + "000831302e302e302e31000000000000000000000001000000000000000100000001000000026e31000000057765622d"
            + "310000000377656200000001000000027631000000000000005000000000000000000000000002000000000000000200"
            + "000002fffffffe000000026e310000000a736572664865616c7468000000045365726601000000000000000000000000"
            + "000000000000000473657266000000000000000300000000000000030000018bcfe573b8fffffffe000000026e310000"
            + "000377656200000000000000000000000000000000057765622d31000000037765620000000374746c00000000000000"
            + "0400000000000000040000018bcfe577a000000001000000027331000000046c6f636b000000026e3100000000000000"
            + "000100000000000000000000000000000000000000000000000500000000000000050000018bcfe57b88000000010000"
            + "00026531000000066465706c6f790000000170000000000000000000000000000000000000000a00000001000000026d"
            + "31010000000100000003776562000000000000000400000001000000026e310000000000000004";

    /**
     * The KV event history version 8 added, as {@link #storeForSnapshot} leaves it: set a, set b, delete b (with b
     * as it was), set c by its lock, each with no time to live.
     */
    private static final String STORED_HISTORY =
            "000000040000000373657400000000000000060000000161000000013100000000000000000000000000000006000000"
            + "00000000060000000000000000ffffffff00000000000000000000000000000000000000000373657400000000000000"
            + "07000000016200000001320000000000000000000000000000000700000000000000070000000000000000ffffffff00"
            + "000000000000000000000000000000000000000664656c65746500000000000000080000000162ffffffff0000000000"
            + "000000000000000000000700000000000000080000000000000000ffffffff0100000001620000000132000000000000"
            + "0000000000000000000700000000000000070000000000000000ffffffff000000000000000000000000000000000000"
            + "000373657400000000000000090000000163000000013300000000000000000000000000000009000000000000000900"
            + "000000000000010000000273310000000000000000000000000000000000";

    /** A small store touching every table and every coded enum a snapshot holds. */
    static Fixtures.Harness storeForSnapshot() {
        Fixtures.Harness h = new Fixtures.Harness();
        h.apply(new Command.RegisterNode(new Node("n1", "id1", "10.0.0.1", "dc1", Map.of("lan", "10.0.0.1"),
                Map.of(), 0, 0)));
        h.apply(new Command.RegisterService(new ServiceInstance("n1", "web-1", "web", List.of("v1"), "", 80,
                Map.of(), false, 0, 0)));
        h.apply(new Command.RegisterCheck(new HealthCheck("n1", "serfHealth", "Serf", CheckStatus.WARNING, "", "",
                "", "", "serf", 0, 0)));
        h.apply(new Command.RegisterCheck(new HealthCheck("n1", "web", "", CheckStatus.PASSING, "", "", "web-1",
                "", "ttl", 0, 0)));
        h.apply(new Command.CreateSession(new Session("s1", "lock", "n1", 0, SessionBehavior.DELETE, 0, List.of(),
                List.of(), 0, 0, 0)));
        h.apply(new Command.KvSet("a", bytes("1"), 0, Command.NO_CAS));
        h.apply(new Command.KvSet("b", bytes("2"), 0, Command.NO_CAS));
        h.apply(new Command.KvDelete("b", false, Command.NO_CAS));
        h.apply(new Command.KvLock("c", bytes("3"), 0, "s1"));
        h.apply(new Command.FireEvent(new Event("e1", "deploy", bytes("p"), "", "", "", 0)));
        h.apply(new Command.SetAlarm("m1", Alarm.NOSPACE, true));
        return h;
    }

    @Test
    void storedCommandsDecodeToTheSameValues() {
        COMMANDS.forEach((command, hex) -> assertThat(CommandCodec.decode(HEX.parseHex(hex)))
                .as(command.getClass().getSimpleName()).usingRecursiveComparison().isEqualTo(command));
    }

    @Test
    void commandsStillEncodeToTheStoredBytes() {
        COMMANDS.forEach((command, hex) -> assertThat(HEX.formatHex(CommandCodec.encode(command)))
                .as(command.getClass().getSimpleName()).isEqualTo(hex));
    }

    @Test
    void theCurrentVersionWritesTheStoredSnapshot() throws IOException {
        assertThat(HEX.formatHex(storeForSnapshot().snapshot()))
                .isEqualTo(asVersion9(asVersion8(asVersion7(SNAPSHOT_V6), STORED_HISTORY, 0)));
    }

    @Test
    void aVersion8SnapshotIsReadWithNoPreparedQueries() throws IOException {
        Store store = restore(asVersion8(asVersion7(SNAPSHOT_V6), STORED_HISTORY, 0));

        assertThat(HEX.formatHex(snapshotOf(store)))
                .isEqualTo(asVersion9(asVersion8(asVersion7(SNAPSHOT_V6), STORED_HISTORY, 0)));
        assertThat(store.query(new Query.PreparedQueries()).value()).isEmpty();
        assertThat(store.tableIndex(Table.PREPARED_QUERIES)).isEqualTo(1);
    }

    @Test
    void aVersion6SnapshotIsReadWithNoAclData() throws IOException {
        Store store = restore(SNAPSHOT_V6);

        assertThat(HEX.formatHex(snapshotOf(store)))
                .isEqualTo(asVersion9(asVersion8(asVersion7(SNAPSHOT_V6), NO_HISTORY, 11)));
        assertThat(store.checks().value()).extracting(HealthCheck::statusChangedAt)
                .containsExactly(Fixtures.Harness.timeOf(3), Fixtures.Harness.timeOf(4));
        assertThat(store.query(new Query.Acl()).value()).isEqualTo(AclTables.EMPTY);
        assertThat(store.tableIndex(Table.ACL_TOKENS)).isEqualTo(1);
    }

    @Test
    void aVersion3SnapshotWithoutAlarmsIsStillRead() throws IOException {
        // Version 3 is version 4 without the trailing alarm list (here one alarm: count, member "m1", its code).
        String v4 = SNAPSHOT_V4;
        String v3 = v4.substring(0, 8) + "00000003" + v4.substring(16, v4.length() - 22) + "00000000";
        Store store = restore(v3.substring(0, v3.length() - 8));

        assertThat(store.usage().alarms()).isEmpty();
        assertThat(text(store.kvGet("a").value().value())).isEqualTo("1");
        assertThat(store.session("s1").behavior()).isEqualTo(SessionBehavior.DELETE);
    }

    @Test
    void aVersion5SnapshotIsRewrittenAsVersion6WithNoStatusChangeTimes() throws IOException {
        Store store = restore(SNAPSHOT_V5);

        assertThat(store.checks().value()).extracting(HealthCheck::statusChangedAt).containsOnly(0L);
        assertThat(HEX.formatHex(snapshotOf(store)))
                .isEqualTo(asVersion9(asVersion8(asVersion7(asVersion6(SNAPSHOT_V5)), NO_HISTORY, 11)));
    }

    @Test
    void aVersion5SnapshotRestoresTheServiceAndNodeIndexes() throws IOException {
        Store store = restore(SNAPSHOT_V5);

        assertThat(store.query(new Query.CatalogSlice(null, "web", Set.of(Table.SERVICES))).index()).isEqualTo(4);
        assertThat(store.query(new Query.CatalogSlice("n1", null, Set.of(Table.NODES))).index()).isEqualTo(4);
    }

    @Test
    void aVersion4SnapshotGivesEveryServiceAndNodeTheCatalogIndex() throws IOException {
        Store store = restore(SNAPSHOT_V4);

        assertThat(store.query(new Query.CatalogSlice(null, "web", Set.of(Table.NODES))).index())
                .as("not the nodes table's 1: the highest catalog table index").isEqualTo(4);
        assertThat(store.query(new Query.CatalogSlice("n1", null, Set.of(Table.NODES))).index()).isEqualTo(4);
        assertThat(HEX.formatHex(snapshotOf(store)))
                .isEqualTo(asVersion9(asVersion8(asVersion7(asVersion6(SNAPSHOT_V5)), NO_HISTORY, 11)));
    }

    @Test
    void aVersion4SnapshotRestoresEveryTable() throws IOException {
        Store store = restore(SNAPSHOT_V4);

        assertThat(store.lastIndex()).isEqualTo(11);
        assertThat(text(store.kvGet("a").value().value())).isEqualTo("1");
        assertThat(store.kvGet("c").value().session()).isEqualTo("s1");
        assertThat(store.kvGet("c").value().lockIndex()).isEqualTo(1);
        assertThat(store.kvList("b").index()).as("deleted key b: the KV table index").isEqualTo(9);
        assertThat(store.oldestTombstoneIndex()).isEqualTo(8);
        assertThat(store.node("n1").taggedAddresses()).containsEntry("lan", "10.0.0.1");
        assertThat(store.services().value()).singleElement().extracting(ServiceInstance::id).isEqualTo("web-1");
        assertThat(store.checks().value()).extracting(HealthCheck::checkId, HealthCheck::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("serfHealth", CheckStatus.WARNING),
                        org.assertj.core.groups.Tuple.tuple("web", CheckStatus.PASSING));
        assertThat(store.session("s1").behavior()).isEqualTo(SessionBehavior.DELETE);
        assertThat(store.query(new Query.Events()).value()).singleElement().extracting(Event::name)
                .isEqualTo("deploy");
        assertThat(store.usage().noSpace()).isTrue();
        assertThat(store.tableIndex(Table.NODES)).isEqualTo(1);
        assertThat(store.tableIndex(Table.CHECKS)).isEqualTo(4);
        assertThat(store.tableIndex(Table.SESSIONS)).isEqualTo(5);
        assertThat(store.tableIndex(Table.EVENTS)).isEqualTo(10);
    }

    /** The same snapshot under version 6, whose layout is version 5's: only the records' own forms were added. */
    private static String asVersion6(String v5) {
        return v5.substring(0, 8) + "00000006" + v5.substring(16);
    }

    /**
     * The same snapshot under version 7: three more table indexes (the ACL tables, 0) after the six, and the ACL
     * data at the end (no tokens, policies or roles, bootstrap index 0).
     */
    private static String asVersion7(String v6) {
        int tablesEnd = 40 + 6 * 16;
        return v6.substring(0, 8) + "00000007" + v6.substring(16, 32) + "00000009" + v6.substring(40, tablesEnd)
                + "0".repeat(3 * 16) + v6.substring(tablesEnd) + "00000000".repeat(3) + "0".repeat(16);
    }

    /**
     * The same snapshot under version 8: the keys' times to live (none), the KV event history and the staged parts
     * of a restore (none) at the end. A snapshot of an older version has no history: its events are gone up to its
     * last index.
     */
    /** Version 9: a tenth table index (the prepared queries') and the prepared queries at the end, none here. */
    private static String asVersion9(String v8) {
        int tablesEnd = 40 + 9 * 16;
        return v8.substring(0, 8) + "00000009" + v8.substring(16, 32) + "0000000a" + v8.substring(40, tablesEnd)
                + "0".repeat(16) + v8.substring(tablesEnd) + "00000000";
    }

    private static String asVersion8(String v7, String history, long clearedThrough) {
        return v7.substring(0, 8) + "00000008" + v7.substring(16) + "00000000" + history
                + String.format("%016x", clearedThrough) + "00000000";
    }

    private static byte[] snapshotOf(Store store) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        store.writeSnapshot(out);
        return out.toByteArray();
    }

    private static Store restore(String hex) throws IOException {
        Store store = new Store();
        store.restoreSnapshot(new ByteArrayInputStream(HEX.parseHex(hex)));
        return store;
    }
}
