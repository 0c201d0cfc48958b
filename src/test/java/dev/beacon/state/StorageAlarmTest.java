package dev.beacon.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.bytes;
import static dev.beacon.state.Fixtures.check;
import static dev.beacon.state.Fixtures.del;
import static dev.beacon.state.Fixtures.delTree;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.service;
import static dev.beacon.state.Fixtures.session;
import static dev.beacon.state.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

/** The NOSPACE alarm: which writes it refuses, what keeps working, and the data footprint it is raised on. */
class StorageAlarmTest {
    private static final String S1 = "127.0.0.1:8300";
    private static final String S2 = "127.0.0.2:8300";

    private final Fixtures.Harness h = new Fixtures.Harness();

    private static Command.SetAlarm raise(String member) {
        return new Command.SetAlarm(member, Alarm.NOSPACE, true);
    }

    private static Command.SetAlarm clear(String member) {
        return new Command.SetAlarm(member, Alarm.NOSPACE, false);
    }

    /** A catalog with a node, a service and its check, a session and two keys, one held by the session. */
    private void populate() {
        h.apply(new Command.CatalogRegister(node("n1"), service("n1", "web-1", "web"),
                List.of(check("n1", "service:web-1", "web-1"))));
        h.apply(new Command.CreateSession(session("sess", "n1", SessionBehavior.RELEASE)));
        h.apply(set("app/a", "1"));
        h.apply(new Command.KvLock("app/lock", bytes("me"), 0, "sess"));
    }

    private void assertRefusedWithoutTrace(Command command) {
        byte[] before = withoutLastIndex(h.snapshot());
        Outcome outcome = h.apply(command);
        assertThat(outcome.success()).as("%s", command).isFalse();
        assertThat(outcome.error()).as("%s", command).isEqualTo(Store.NO_SPACE);
        assertThat(withoutLastIndex(h.snapshot())).as("state after %s", command).isEqualTo(before);
    }

    /** A snapshot with its applied index (bytes 8 to 15, after magic and version) zeroed. */
    private static byte[] withoutLastIndex(byte[] snapshot) {
        ByteBuffer.wrap(snapshot).putLong(2 * Integer.BYTES, 0);
        return snapshot;
    }

    @Test
    void writesThatAddDataAreRefusedWithoutTraceWhileRaised() {
        populate();
        h.apply(raise(S1));

        assertRefusedWithoutTrace(set("app/new", "x"));
        assertRefusedWithoutTrace(set("app/a", "overwrite"));
        assertRefusedWithoutTrace(new Command.KvLock("app/other", bytes("x"), 0, "sess"));
        assertRefusedWithoutTrace(new Command.CreateSession(session("s2", "n1", SessionBehavior.RELEASE)));
        assertRefusedWithoutTrace(new Command.FireEvent(new Event("e1", "deploy", bytes("v"), "", "", "", 0)));
        assertRefusedWithoutTrace(new Command.RegisterNode(node("n2")));
        assertRefusedWithoutTrace(new Command.RegisterService(service("n1", "web-2", "web")));
        assertRefusedWithoutTrace(new Command.RegisterCheck(check("n1", "disk", "")));
        assertRefusedWithoutTrace(new Command.CatalogRegister(node("n1"), service("n1", "api-1", "api"), List.of()));
        assertRefusedWithoutTrace(new Command.Txn(List.of(
                new TxnOp(TxnOp.Verb.DELETE, "app/a", null, 0, 0, null),
                new TxnOp(TxnOp.Verb.SET, "app/b", bytes("2"), 0, 0, null))));
        assertRefusedWithoutTrace(new Command.Txn(List.of(
                new CatalogTxnOp.OnNode(CatalogTxnOp.Verb.CAS, node("n3"), 0))));
    }

    @Test
    void deletesReleasesRenewalsAndUpdatesOfExistingEntriesKeepWorking() {
        populate();
        h.apply(raise(S1));

        assertThat(h.apply(new Command.RegisterCheck(check("n1", "service:web-1", "web-1", CheckStatus.CRITICAL)))
                .success()).isTrue();
        assertThat(h.store.checks().value()).extracting(HealthCheck::status).containsExactly(CheckStatus.CRITICAL);
        assertThat(h.apply(new Command.RegisterNode(node("n1", "10.0.0.9"))).success()).isTrue();
        assertThat(h.apply(new Command.RenewSession("sess")).success()).isTrue();
        assertThat(h.apply(new Command.KvUnlock("app/lock", bytes("me"), 0, "sess")).success()).isTrue();
        assertThat(h.apply(new Command.Txn(List.of(new TxnOp(TxnOp.Verb.GET, "app/a", null, 0, 0, null),
                new TxnOp(TxnOp.Verb.DELETE, "app/a", null, 0, 0, null)))).success()).isTrue();
        assertThat(h.get("app/a")).isNull();
        assertThat(h.apply(delTree("app/")).success()).isTrue();
        assertThat(h.apply(new Command.DestroySession("sess")).success()).isTrue();
        assertThat(h.apply(new Command.DeregisterService("n1", "web-1")).success()).isTrue();
        assertThat(h.apply(new Command.ReapTombstones(h.index())).success()).isTrue();
        assertThat(h.store.kvList("").value()).isEmpty();
        assertThat(h.store.services().value()).isEmpty();
    }

    @Test
    void writesAreAcceptedAgainOnlyOnceEveryServerHasClearedItsAlarm() {
        h.apply(raise(S1));
        h.apply(raise(S2));
        h.apply(raise(S2));
        assertThat(h.store.usage().alarms()).containsExactly(new MemberAlarm(S1, Alarm.NOSPACE),
                new MemberAlarm(S2, Alarm.NOSPACE));

        h.apply(clear(S1));
        assertThat(h.apply(set("k", "v")).error()).isEqualTo(Store.NO_SPACE);

        h.apply(clear(S2));
        assertThat(h.store.usage().noSpace()).isFalse();
        assertThat(h.apply(set("k", "v")).success()).isTrue();
    }

    @Test
    void alarmsSurviveASnapshotAndMoveNoTableIndex() throws IOException {
        h.apply(set("k", "v"));
        var indexes = h.tableIndexes();
        h.apply(raise(S1));
        assertThat(h.tableIndexes()).isEqualTo(indexes);

        Store restored = new Store();
        restored.restoreSnapshot(new ByteArrayInputStream(h.snapshot()));

        assertThat(restored.usage()).isEqualTo(h.store.usage());
        assertThat(restored.apply(h.index() + 1, 0, set("k2", "v")).error()).isEqualTo(Store.NO_SPACE);
    }

    @Test
    void footprintCountsKeysValuesAndTombstones() {
        long empty = h.store.usage().bytes();
        h.apply(new Command.KvSet("abc", new byte[100], 0, Command.NO_CAS));
        assertThat(h.store.usage().bytes() - empty).isEqualTo(Footprint.KV_ENTRY_OVERHEAD + 3 + 100);
        assertThat(h.store.usage().kvKeys()).isEqualTo(1);

        h.apply(new Command.KvSet("abc", new byte[10], 0, Command.NO_CAS));
        assertThat(h.store.usage().bytes() - empty).isEqualTo(Footprint.KV_ENTRY_OVERHEAD + 3 + 10);

        h.apply(del("abc"));
        assertThat(h.store.usage().bytes() - empty).isEqualTo(Footprint.TOMBSTONE_OVERHEAD + 3);
        assertThat(h.store.usage().kvKeys()).isZero();

        h.apply(new Command.ReapTombstones(h.index()));
        assertThat(h.store.usage().bytes()).isEqualTo(empty);
    }

    @Test
    void footprintKeptAlongARandomLogEqualsOneCountedFromScratch() throws IOException {
        for (long seed = 1; seed <= 5; seed++) {
            Store store = new Store();
            for (DeterminismTest.Entry e : DeterminismTest.log(seed, 3_000)) {
                store.apply(e.index(), e.time(), e.command());
                if (e.index() % 500 == 0) {
                    assertThat(store.usage()).isEqualTo(recounted(store));
                }
            }
            assertThat(store.usage()).as("seed %d", seed).isEqualTo(recounted(store));
        }
    }

    @Test
    void aTransactionRolledBackLeavesTheFootprintAsItWas() {
        h.apply(set("a", "1"));
        h.apply(del("gone"));
        StorageUsage before = h.store.usage();

        Outcome outcome = h.apply(new Command.Txn(List.of(
                new TxnOp(TxnOp.Verb.SET, "a", new byte[500], 0, 0, null),
                new TxnOp(TxnOp.Verb.SET, "gone", new byte[500], 0, 0, null),
                new TxnOp(TxnOp.Verb.DELETE, "a", null, 0, 0, null),
                new TxnOp(TxnOp.Verb.CHECK_INDEX, "missing", null, 0, 42, null))));

        assertThat(outcome.success()).isFalse();
        assertThat(h.store.usage()).isEqualTo(before);
    }

    /** The same store's usage as a fresh store restored from its snapshot counts it: from scratch. */
    private static StorageUsage recounted(Store store) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.writeSnapshot(out);
        Store copy = new Store();
        copy.restoreSnapshot(new ByteArrayInputStream(out.toByteArray()));
        return copy.usage();
    }
}
