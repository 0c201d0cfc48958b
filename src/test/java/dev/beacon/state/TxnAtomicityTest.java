package dev.beacon.state;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.bytes;
import static dev.beacon.state.Fixtures.check;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.service;
import static dev.beacon.state.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transaction that fails on its last operation leaves no trace: the store is byte for byte the store that
 * applied an empty transaction at that index instead, with the same usage, indexes and parked watches.
 */
class TxnAtomicityTest {
    private static final long AT = 50;
    private static final TxnOperation FAILS = new TxnOp(TxnOp.Verb.CHECK_INDEX, "never-written", null, 0, 1, null);

    /** n1 (web, session s1 holding lock/a, deleting its keys) and n2 (db, session s2 holding lock/b), some KV. */
    private static Fixtures.Harness seeded() {
        Fixtures.Harness h = new Fixtures.Harness();
        h.apply(new Command.CatalogRegister(node("n1"), service("n1", "web-1", "web"),
                List.of(check("n1", "serfHealth", ""), check("n1", "web-http", "web-1"))));
        h.apply(new Command.CatalogRegister(node("n2"), service("n2", "db-1", "db"),
                List.of(check("n2", "serfHealth", ""))));
        h.apply(new Command.CreateSession(new Session("s1", "", "n1", 15_000, SessionBehavior.DELETE, 0,
                List.of("serfHealth"), List.of(), 0, 0, 0)));
        h.apply(new Command.CreateSession(new Session("s2", "", "n2", 15_000, SessionBehavior.RELEASE, 0,
                List.of(), List.of(), 0, 0, 0)));
        h.apply(new Command.KvLock("lock/a", bytes("a"), 0, "s1"));
        h.apply(new Command.KvLock("lock/b", bytes("b"), 0, "s2"));
        for (String key : List.of("a", "b", "dir/x", "dir/y", "gone")) {
            h.apply(set(key, "v-" + key));
        }
        h.apply(Fixtures.del("gone"));
        return h;
    }

    private static final List<TxnOperation> KV_OPS = List.of(
            new TxnOp(TxnOp.Verb.SET, "a", bytes("changed"), 0, 0, null),
            new TxnOp(TxnOp.Verb.SET, "new", bytes("x"), 0, 0, null),
            new TxnOp(TxnOp.Verb.SET, "gone", bytes("revived"), 0, 0, null),
            new TxnOp(TxnOp.Verb.DELETE, "b", null, 0, 0, null),
            new TxnOp(TxnOp.Verb.DELETE_TREE, "dir/", null, 0, 0, null),
            new TxnOp(TxnOp.Verb.LOCK, "c", bytes("c"), 0, 0, "s1"),
            new TxnOp(TxnOp.Verb.UNLOCK, "lock/b", bytes("free"), 0, 0, "s2"));

    private static final List<TxnOperation> CATALOG_OPS = List.of(
            new CatalogTxnOp.OnNode(CatalogTxnOp.Verb.SET, node("n3"), 0),
            new CatalogTxnOp.OnService(CatalogTxnOp.Verb.SET, service("n3", "web-3", "web"), 0),
            new CatalogTxnOp.OnNode(CatalogTxnOp.Verb.SET, node("n1", "10.9.9.9"), 0),
            new CatalogTxnOp.OnCheck(CatalogTxnOp.Verb.SET, check("n1", "web-http", "web-1", CheckStatus.CRITICAL),
                    0),
            new CatalogTxnOp.OnService(CatalogTxnOp.Verb.DELETE, service("n2", "db-1", "db"), 0),
            new CatalogTxnOp.OnCheck(CatalogTxnOp.Verb.DELETE, check("n1", "serfHealth", ""), 0));

    /** Deleting nodes destroys their sessions: s1 deletes lock/a, s2 releases lock/b, both with a lock delay. */
    private static final List<TxnOperation> SESSION_OPS = List.of(
            new CatalogTxnOp.OnNode(CatalogTxnOp.Verb.DELETE, node("n1"), 0),
            new CatalogTxnOp.OnNode(CatalogTxnOp.Verb.DELETE, node("n2"), 0),
            new TxnOp(TxnOp.Verb.SET, "lock/a", bytes("taken"), 0, 0, null));

    @Test
    void kvOperationsAreUndone() {
        assertFailingLastOpLeavesNoTrace(KV_OPS);
    }

    @Test
    void catalogOperationsAreUndone() {
        assertFailingLastOpLeavesNoTrace(CATALOG_OPS);
    }

    @Test
    void sessionsDestroyedWithTheirNodesAreUndone() {
        assertFailingLastOpLeavesNoTrace(SESSION_OPS);
    }

    @Test
    void everythingAtOnceIsUndone() {
        List<TxnOperation> all = new ArrayList<>(KV_OPS);
        all.addAll(CATALOG_OPS);
        all.addAll(SESSION_OPS);
        assertFailingLastOpLeavesNoTrace(all);
    }

    private static void assertFailingLastOpLeavesNoTrace(List<TxnOperation> ops) {
        Fixtures.Harness committed = seeded();
        byte[] seededSnapshot = committed.snapshot();
        assertThat(committed.applyAt(AT, new Command.Txn(ops)).success()).as("the ops alone commit").isTrue();
        assertThat(committed.snapshot()).as("the ops alone change the store").isNotEqualTo(seededSnapshot);

        Fixtures.Harness failed = seeded();
        List<AtomicInteger> woken = parkWatches(failed);
        int parked = failed.store.watchCount();
        List<TxnOperation> withFailure = new ArrayList<>(ops);
        withFailure.add(FAILS);
        Outcome outcome = failed.applyAt(AT, new Command.Txn(withFailure));

        Fixtures.Harness untouched = seeded();
        untouched.applyAt(AT, new Command.Txn(List.of()));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.txnErrors()).singleElement().extracting(TxnError::opIndex).isEqualTo(ops.size());
        assertThat(failed.snapshot()).isEqualTo(untouched.snapshot());
        assertThat(failed.store.usage()).isEqualTo(untouched.store.usage());
        assertThat(failed.tableIndexes()).isEqualTo(untouched.tableIndexes());
        assertThat(woken).allMatch(w -> w.get() == 0);
        assertThat(failed.store.watchCount()).isEqualTo(parked);
    }

    /** One watch of each kind on what the transactions touch. */
    private static List<AtomicInteger> parkWatches(Fixtures.Harness h) {
        List<AtomicInteger> woken = new ArrayList<>();
        long index = h.index();
        for (Query<?> query : List.of(new Query.KvGet("a"), new Query.KvGet("lock/a"), new Query.KvList("dir/"),
                new Query.CatalogSlice(null, "web", EnumSet.of(Table.SERVICES)),
                new Query.CatalogSlice("n2", null, EnumSet.of(Table.NODES)),
                new Query.CatalogSlice(null, null, EnumSet.of(Table.NODES, Table.CHECKS)),
                new Query.Sessions(null, null))) {
            AtomicInteger count = new AtomicInteger();
            h.store.watch(query, index, count::incrementAndGet);
            woken.add(count);
        }
        return woken;
    }

    /**
     * Property: random logs with failing transactions injected between their entries end in the same state as
     * the same logs with an empty transaction at those indexes, after every injection.
     */
    @Test
    void injectedFailingTransactionsLeaveTheStateOfTheLogWithoutThem() {
        int rolledBackWrites = 0;
        for (long seed = 1; seed <= 6; seed++) {
            Random r = new Random(seed);
            Store withFailures = new Store();
            Store withoutThem = new Store();
            long index = 0;
            for (DeterminismTest.Entry e : DeterminismTest.log(seed, 800)) {
                if (r.nextInt(4) == 0) {
                    index++;
                    List<TxnOperation> ops = randomOps(r);
                    Outcome outcome = withFailures.apply(index, e.time(), new Command.Txn(ops));
                    withoutThem.apply(index, e.time(), new Command.Txn(List.of()));
                    assertThat(outcome.success()).isFalse();
                    if (outcome.txnErrors().size() == 1 && ops.size() > 1) {
                        rolledBackWrites++;
                    }
                    assertThat(snapshot(withFailures)).as("seed %d, index %d", seed, index)
                            .isEqualTo(snapshot(withoutThem));
                }
                index++;
                Outcome a = withFailures.apply(index, e.time(), e.command());
                Outcome b = withoutThem.apply(index, e.time(), e.command());
                assertThat(a).usingRecursiveComparison().isEqualTo(b);
            }
            assertThat(snapshot(withFailures)).isEqualTo(snapshot(withoutThem));
            assertThat(withFailures.usage()).isEqualTo(withoutThem.usage());
        }
        assertThat(rolledBackWrites).as("transactions whose every op but the last succeeded").isGreaterThan(100);
    }

    private static final String[] KEYS = {"app", "app/x", "app/y", "cfg", "日本", "lock", "x"};
    private static final String[] NODES = {"n1", "n2", "n3", "n4"};

    /** Writes of every kind the generated log also makes, then an operation that always fails. */
    private static List<TxnOperation> randomOps(Random r) {
        List<TxnOperation> ops = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            String key = KEYS[r.nextInt(KEYS.length)];
            String node = NODES[r.nextInt(NODES.length)];
            String svc = "svc" + r.nextInt(3);
            ops.add(switch (r.nextInt(9)) {
                case 0 -> new TxnOp(TxnOp.Verb.SET, key, bytes("t" + r.nextInt(9)), 0, 0, null);
                case 1 -> new TxnOp(TxnOp.Verb.DELETE, key, null, 0, 0, null);
                case 2 -> new TxnOp(TxnOp.Verb.DELETE_TREE, key.substring(0, 1), null, 0, 0, null);
                case 3 -> new TxnOp(TxnOp.Verb.LOCK, key, bytes("l"), 0, 0, "s" + r.nextInt(8));
                case 4 -> new CatalogTxnOp.OnNode(CatalogTxnOp.Verb.SET, node(node, "10.0.1." + r.nextInt(3)), 0);
                case 5 -> new CatalogTxnOp.OnNode(CatalogTxnOp.Verb.DELETE, node(node), 0);
                case 6 -> new CatalogTxnOp.OnService(CatalogTxnOp.Verb.SET, new ServiceInstance(node,
                        svc + "-" + r.nextInt(2), svc, List.of(), "", 80, Map.of(), false, 0, 0), 0);
                case 7 -> new CatalogTxnOp.OnService(CatalogTxnOp.Verb.DELETE, service(node, svc + "-" + r.nextInt(2),
                        svc), 0);
                default -> new CatalogTxnOp.OnCheck(r.nextBoolean() ? CatalogTxnOp.Verb.SET
                        : CatalogTxnOp.Verb.DELETE, new HealthCheck(node, "chk" + r.nextInt(4), "Check",
                        CheckStatus.CRITICAL, "", "", "", "", "ttl", 0, 0), 0);
            });
        }
        ops.add(FAILS);
        return ops;
    }

    private static byte[] snapshot(Store store) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            store.writeSnapshot(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
