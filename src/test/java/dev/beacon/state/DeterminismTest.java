package dev.beacon.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Property-style: the same log gives the same bytes; a snapshot restores to an indistinguishable store. */
class DeterminismTest {
    /** What a rare restore in the generated log brings back: a node with a service, and a key, at index 3. */
    private static final byte[] SMALL_SNAPSHOT = smallSnapshot();
    private static final long SEED = 0x5EED_BEACL;
    private static final int LOG_SIZE = 4_000;

    private static final String[] KEY_PARTS = {"app", "app/", "apple", "cfg", "a,b", "日本", "\uffff", "x", ""};
    private static final String[] NODES = {"n1", "n2", "n3", "n4"};
    private static final String[] SERVICES = {"svc0", "svc1", "svc2", "never"};
    private static final Set<Table> CATALOG = Set.of(Table.NODES, Table.SERVICES, Table.CHECKS);

    /** The slices a blocking reader can hold: one per service name and one per node name. */
    private static List<Query.CatalogSlice> slices() {
        List<Query.CatalogSlice> slices = new ArrayList<>();
        for (String service : SERVICES) {
            slices.add(new Query.CatalogSlice(null, service, CATALOG));
        }
        for (String node : NODES) {
            slices.add(new Query.CatalogSlice(node, null, CATALOG));
        }
        slices.add(new Query.CatalogSlice("never", null, CATALOG));
        return slices;
    }

    /** One log entry: a command with the index and time it is applied at. */
    record Entry(long index, long time, Command command) {
    }

    static List<Entry> log(long seed, int size) {
        Random r = new Random(seed);
        List<Entry> log = new ArrayList<>();
        long index = 0;
        long time = Fixtures.T0;
        for (int i = 0; i < size; i++) {
            index += 1 + (r.nextInt(10) == 0 ? r.nextInt(5) : 0);
            time += r.nextInt(2_000);
            log.add(new Entry(index, time, command(r, index)));
        }
        return log;
    }

    private static String key(Random r) {
        StringBuilder k = new StringBuilder();
        int parts = 1 + r.nextInt(3);
        for (int i = 0; i < parts; i++) {
            if (i > 0) {
                k.append('/');
            }
            k.append(KEY_PARTS[r.nextInt(KEY_PARTS.length)]);
        }
        return k.toString();
    }

    private static byte[] value(Random r) {
        int n = r.nextInt(12);
        if (n == 0) {
            return null;
        }
        byte[] v = new byte[n - 1];
        r.nextBytes(v);
        return v;
    }

    private static Map<String, String> meta(Random r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            m.put("k" + r.nextInt(5), "v" + r.nextInt(3));
        }
        return m;
    }

    /** The ACL commands over a few ids and names, so that names collide and the builtin ones are tried. */
    private static Command aclCommand(Random r) {
        String policy = "p" + r.nextInt(3);
        String token = "t" + r.nextInt(4);
        return switch (r.nextInt(9)) {
            case 0 -> new Command.AclBootstrap(new AclToken(token, "secret-" + token, "", List.of(), List.of(),
                    false, 0, 0, 0, 0), r.nextBoolean());
            case 1 -> new Command.AclInitialize();
            case 2 -> new Command.AclSetPolicy(new AclPolicy(policy, "name" + r.nextInt(3), "",
                    "key \"k\" { policy = \"read\" }", List.of(), 0, 0));
            case 3 -> new Command.AclDeletePolicy(r.nextBoolean() ? policy : AclPolicy.GLOBAL_MANAGEMENT_ID);
            case 4 -> new Command.AclSetToken(new AclToken(token, "secret-" + token + r.nextInt(2), "d",
                    List.of(policy), List.of(), r.nextBoolean(), 0, 0, 0, 0), r.nextInt(3) * 60_000L);
            case 5 -> new Command.AclDeleteToken(r.nextBoolean() ? token : AclToken.ANONYMOUS_ACCESSOR_ID);
            case 6 -> new Command.AclSetRole(new AclRole("r" + r.nextInt(2), "role" + r.nextInt(3), "",
                    List.of(policy), 0, 0));
            case 7 -> new Command.AclExpireToken(token);
            default -> new Command.AclDeleteRole("r" + r.nextInt(2));
        };
    }

    /** Prepared queries over a few ids and names, bound to sessions that come and go, so names collide. */
    private static Command preparedQueryCommand(Random r) {
        String id = "q" + r.nextInt(3);
        if (r.nextInt(4) == 0) {
            return new Command.PreparedQueryDelete(id);
        }
        String name = r.nextInt(4) == 0 ? "" : "query" + r.nextInt(2);
        PreparedQuery.Template template = r.nextBoolean() ? null
                : new PreparedQuery.Template(PreparedQuery.Template.NAME_PREFIX_MATCH, "", false);
        return new Command.PreparedQuerySet(new PreparedQuery(id, name, r.nextBoolean() ? "" : "s" + r.nextInt(8),
                "", new PreparedQuery.ServiceQuery("svc" + r.nextInt(3), r.nextInt(3), List.of(), r.nextBoolean(),
                List.of(), "", List.of(), meta(r), Map.of()), "", template, 0, 0), r.nextBoolean());
    }

    /** etcd's tree writes and expiries, with conditions that hold and that fail, over the same keys as the rest. */
    private static Command etcdCommand(Random r, long index) {
        String path = key(r).replaceAll("/+$", "");
        long recent = Math.max(0, index - 1 - r.nextInt(20));
        Boolean prevExist = r.nextInt(3) == 0 ? null : r.nextBoolean();
        return switch (r.nextInt(4)) {
            case 0 -> new Command.KvPut(path, value(r), r.nextInt(5) == 0, r.nextBoolean() ? 0 : 1 + r.nextInt(3),
                    r.nextInt(8) == 0, prevExist, r.nextInt(4) == 0 ? value(r) : null,
                    r.nextInt(4) == 0 ? recent : 0, r.nextInt(8) == 0);
            case 1 -> new Command.KvRemove(path, r.nextBoolean(), r.nextBoolean(), r.nextInt(4) == 0 ? value(r) : null,
                    r.nextInt(4) == 0 ? recent : 0);
            case 2 -> new Command.KvSetExpiring(key(r), value(r), 0, r.nextBoolean() ? Command.NO_CAS : recent,
                    1 + r.nextInt(3_000));
            default -> new Command.KvExpire(r.nextBoolean() ? path : path + "/", r.nextInt(4));
        };
    }

    /** A part of a restore of the small snapshot in two halves, or its commit; in or out of order. */
    private static Command stagedRestoreStep(Random r) {
        String id = "r" + r.nextInt(2);
        int half = SMALL_SNAPSHOT.length / 2;
        return switch (r.nextInt(3)) {
            case 0 -> new Command.RestoreStage(id, 0, java.util.Arrays.copyOfRange(SMALL_SNAPSHOT, 0, half));
            case 1 -> new Command.RestoreStage(id, 1, java.util.Arrays.copyOfRange(SMALL_SNAPSHOT, half,
                    SMALL_SNAPSHOT.length));
            default -> new Command.RestoreCommit(id, 2, SMALL_SNAPSHOT.length);
        };
    }

    private static Command command(Random r, long index) {
        int pick = r.nextInt(100);
        String node = NODES[r.nextInt(NODES.length)];
        if (pick < 4) {
            return r.nextInt(3) == 0 ? preparedQueryCommand(r) : aclCommand(r);
        } else if (pick < 12) {
            return etcdCommand(r, index);
        } else if (pick < 30) {
            long cas;
            int c = r.nextInt(4);
            cas = c == 0 ? 0 : c == 1 ? Math.max(0, index - 1 - r.nextInt(20)) : Command.NO_CAS;
            long flags = r.nextInt(3) == 0 ? r.nextLong() : 0;
            return r.nextBoolean() ? new Command.KvSet(key(r), value(r), flags, cas)
                    : new Command.KvSetIfChanged(key(r), value(r), flags, cas);
        } else if (pick < 42) {
            long cas = r.nextInt(3) == 0 ? Math.max(0, index - 1 - r.nextInt(20)) : Command.NO_CAS;
            return new Command.KvDelete(key(r), false, cas);
        } else if (pick < 46) {
            return new Command.KvDelete(KEY_PARTS[r.nextInt(KEY_PARTS.length)], true, Command.NO_CAS);
        } else if (pick < 54) {
            return new Command.RegisterNode(new Node(node, "id-" + node, "10.0.0." + r.nextInt(3), "dc1",
                    meta(r), meta(r), r.nextInt(100), r.nextInt(100)));
        } else if (pick < 57) {
            return new Command.DeregisterNode(node);
        } else if (pick < 68) {
            String svc = "svc" + r.nextInt(3);
            return new Command.RegisterService(new ServiceInstance(node, svc + "-" + r.nextInt(2), svc,
                    r.nextBoolean() ? List.of("a", "b") : List.of("b"), "", 8000 + r.nextInt(3), meta(r),
                    r.nextBoolean(), 0, 0));
        } else if (pick < 72) {
            return new Command.DeregisterService(node, "svc" + r.nextInt(3) + "-" + r.nextInt(2));
        } else if (pick < 82) {
            String serviceId = r.nextBoolean() ? "" : "svc" + r.nextInt(3) + "-" + r.nextInt(2);
            return new Command.RegisterCheck(new HealthCheck(node, "chk" + r.nextInt(4), "Check",
                    CheckStatus.values()[r.nextInt(CheckStatus.values().length)], "", "out" + r.nextInt(2),
                    serviceId, "", "ttl", 0, 0));
        } else if (pick < 85) {
            return new Command.DeregisterCheck(node, "chk" + r.nextInt(4));
        } else if (pick < 92) {
            return new Command.CreateSession(new Session("s" + r.nextInt(8), "lock", node, r.nextInt(20_000),
                    SessionBehavior.values()[r.nextInt(2)], 10_000 + r.nextInt(5),
                    r.nextBoolean() ? List.of() : List.of("chk" + r.nextInt(4)), List.of(), 0, 0, 0));
        } else if (pick < 94) {
            String session = "s" + r.nextInt(8);
            return switch (r.nextInt(7)) {
                case 0 -> new Command.DestroySession(session);
                case 1 -> new Command.RenewSession(session);
                case 2 -> new Command.ExpireSession(session);
                case 3 -> new Command.SetAlarm("s1", Alarm.NOSPACE, r.nextInt(8) == 0);
                case 4 -> r.nextBoolean() ? new Command.AdvanceIndex() : stagedRestoreStep(r);
                case 5 -> r.nextInt(3) == 0 ? new Command.RestoreState(SMALL_SNAPSHOT) : new Command.AdvanceIndex();
                default -> new Command.FireEvent(new Event("e" + index, "deploy", value(r), "", "", "", 0));
            };
        } else if (pick < 96) {
            return new Command.KvLock(key(r), value(r), 0, "s" + r.nextInt(8));
        } else if (pick < 97) {
            return new Command.KvUnlock(key(r), value(r), 0, "s" + r.nextInt(8));
        } else if (pick < 98 && r.nextBoolean()) {
            String svc = "svc" + r.nextInt(3);
            String id = svc + "-" + r.nextInt(2);
            return new Command.CatalogRegister(new Node(node, "id-" + node, "10.0.0." + r.nextInt(3), "dc1",
                    Map.of(), meta(r), 0, 0), new ServiceInstance(node, id, svc, List.of("c"), "", 9000, Map.of(),
                    false, 0, 0), List.of(new HealthCheck(node, "svc-chk", "Service check",
                    CheckStatus.values()[r.nextInt(3)], "", "", r.nextBoolean() ? id : "nope", "", "http", 0, 0)));
        } else if (pick < 98) {
            TxnOp.Verb[] verbs = TxnOp.Verb.values();
            CatalogTxnOp.Verb[] catalogVerbs = CatalogTxnOp.Verb.values();
            List<TxnOperation> ops = new ArrayList<>();
            for (int i = 1 + r.nextInt(4); i > 0; i--) {
                long expected = Math.max(0, index - 1 - r.nextInt(20));
                CatalogTxnOp.Verb catalogVerb = r.nextBoolean() ? CatalogTxnOp.Verb.SET
                        : catalogVerbs[r.nextInt(catalogVerbs.length)];
                String svc = "svc" + r.nextInt(3);
                ops.add(switch (r.nextInt(10)) {
                    case 0 -> new CatalogTxnOp.OnNode(catalogVerb, new Node(node, "", "10.0.0.9", "dc1", Map.of(),
                            meta(r), 0, 0), expected);
                    case 1 -> new CatalogTxnOp.OnService(catalogVerb, new ServiceInstance(node,
                            svc + "-" + r.nextInt(2), svc, List.of(), "", 80, Map.of(), false, 0, 0), expected);
                    case 2 -> new CatalogTxnOp.OnCheck(catalogVerb, new HealthCheck(node, "chk" + r.nextInt(4),
                            "Check", CheckStatus.CRITICAL, "", "", "", "", "ttl", 0, 0), expected);
                    default -> new TxnOp(verbs[r.nextInt(verbs.length)], key(r), value(r), 0, expected,
                            "s" + r.nextInt(8));
                });
            }
            return new Command.Txn(ops);
        } else {
            return new Command.ReapTombstones(Math.max(0, index - r.nextInt(200)));
        }
    }

    private static boolean restored(Entry e, Outcome outcome) {
        return e.command() instanceof Command.RestoreState && outcome.success();
    }

    private static byte[] smallSnapshot() {
        Fixtures.Harness h = new Fixtures.Harness();
        h.apply(new Command.RegisterNode(new Node("restored", "id-r", "10.0.0.7", "dc1", Map.of(), Map.of(), 0, 0)));
        h.apply(new Command.RegisterService(new ServiceInstance("restored", "svc0-0", "svc0", List.of("r"), "", 80,
                Map.of(), false, 0, 0)));
        h.apply(new Command.KvSet("a/restored", new byte[] {1}, 0, Command.NO_CAS));
        return h.snapshot();
    }

    private static List<Outcome> applyAll(Store store, List<Entry> log, boolean throughCodec) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Entry e : log) {
            Command c = throughCodec ? CommandCodec.decode(CommandCodec.encode(e.command())) : e.command();
            outcomes.add(store.apply(e.index(), e.time(), c));
        }
        return outcomes;
    }

    private static byte[] snapshot(Store store) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.writeSnapshot(out);
        return out.toByteArray();
    }

    private static Store restore(byte[] snapshot) throws IOException {
        Store s = new Store();
        s.restoreSnapshot(new ByteArrayInputStream(snapshot));
        return s;
    }

    /** Every key the generator can produce or that any store holds. */
    private static List<String> probeKeys(Store... stores) {
        List<String> keys = new ArrayList<>(Arrays.asList(KEY_PARTS));
        for (Store s : stores) {
            s.kvList("").value().forEach(e -> keys.add(e.key()));
        }
        for (String a : KEY_PARTS) {
            for (String b : KEY_PARTS) {
                keys.add(a + "/" + b);
            }
        }
        return keys;
    }

    private static void assertSameReads(Store expected, Store actual) {
        assertThat(actual.lastIndex()).isEqualTo(expected.lastIndex());
        for (Table t : Table.values()) {
            assertThat(actual.tableIndex(t)).as("table " + t).isEqualTo(expected.tableIndex(t));
        }
        assertThat(Fixtures.describe(actual.kvList("").value()))
                .isEqualTo(Fixtures.describe(expected.kvList("").value()));
        assertThat(actual.kvList("").index()).isEqualTo(expected.kvList("").index());
        for (String k : probeKeys(expected, actual)) {
            Indexed<KvEntry> a = actual.kvGet(k);
            Indexed<KvEntry> e = expected.kvGet(k);
            assertThat(Fixtures.describe(a.value())).as("key " + k).isEqualTo(Fixtures.describe(e.value()));
            assertThat(a.index()).as("key index " + k).isEqualTo(e.index());
            assertThat(actual.kvList(k).index()).as("prefix index " + k).isEqualTo(expected.kvList(k).index());
            assertThat(Fixtures.describe(actual.kvList(k).value())).as("prefix " + k)
                    .isEqualTo(Fixtures.describe(expected.kvList(k).value()));
        }
        assertThat(actual.nodes()).isEqualTo(expected.nodes());
        assertThat(actual.services()).isEqualTo(expected.services());
        assertThat(actual.checks()).isEqualTo(expected.checks());
        assertThat(actual.sessions()).isEqualTo(expected.sessions());
        assertThat(actual.query(new Query.Acl())).isEqualTo(expected.query(new Query.Acl()));
        for (Query.CatalogSlice slice : slices()) {
            assertThat(actual.query(slice)).as("%s", slice).isEqualTo(expected.query(slice));
        }
    }

    @Test
    void generatedLogExercisesEveryCommandAndBothOutcomes() {
        List<Entry> log = log(SEED, LOG_SIZE);
        Store store = new Store();
        List<Outcome> outcomes = applyAll(store, log, false);

        assertThat(log).extracting(e -> e.command().getClass().getSimpleName())
                .containsAll(CommandCodecTest.permittedNames());
        assertThat(outcomes).filteredOn(Outcome::success).hasSizeGreaterThan(LOG_SIZE / 2);
        assertThat(outcomes).filteredOn(o -> !o.success() && o.error() == null).isNotEmpty();  // CAS refusals
        assertThat(outcomes).filteredOn(o -> o.error() != null).isNotEmpty();                   // catalog errors
        for (Class<?> type : List.of(Command.KvSet.class, Command.RegisterNode.class, Command.RegisterService.class,
                Command.RegisterCheck.class, Command.CreateSession.class, Command.KvLock.class, Command.Txn.class)) {
            assertThat(java.util.stream.IntStream.range(0, log.size())
                    .filter(i -> type.isInstance(log.get(i).command()) && outcomes.get(i).success()))
                    .as("%s succeeded at least once", type.getSimpleName()).isNotEmpty();
        }
        assertThat(store.lastIndex()).isEqualTo(log.get(log.size() - 1).index());
    }

    @Test
    void sameLogGivesIdenticalSnapshotBytesAndOutcomes() throws IOException {
        List<Entry> log = log(SEED, LOG_SIZE);
        Store a = new Store();
        Store b = new Store();

        List<Outcome> oa = applyAll(a, log, false);
        List<Outcome> ob = applyAll(b, log, true);   // b sees the log as decoded from the wire

        assertThat(ob).usingRecursiveComparison().isEqualTo(oa);   // values are byte arrays
        assertThat(snapshot(b)).isEqualTo(snapshot(a));
        assertSameReads(a, b);
    }

    @Test
    void snapshotsAreEqualAfterEveryPrefixOfTheLog() throws IOException {
        List<Entry> log = log(SEED + 1, 600);
        Store a = new Store();
        Store b = new Store();
        for (Entry e : log) {
            a.apply(e.index(), e.time(), e.command());
            b.apply(e.index(), e.time(), CommandCodec.decode(CommandCodec.encode(e.command())));
            assertThat(snapshot(b)).as("after index " + e.index()).isEqualTo(snapshot(a));
        }
    }

    @Test
    void differentLogsGiveDifferentSnapshots() throws IOException {
        Store a = new Store();
        Store b = new Store();
        applyAll(a, log(SEED, 500), false);
        applyAll(b, log(SEED + 7, 500), false);
        assertThat(snapshot(b)).isNotEqualTo(snapshot(a));
    }

    @Test
    void snapshotRestoreGivesIdenticalBytesAndReads() throws IOException {
        Store original = new Store();
        applyAll(original, log(SEED, LOG_SIZE), false);
        byte[] snap = snapshot(original);

        Store copy = restore(snap);

        assertThat(snapshot(copy)).isEqualTo(snap);
        assertSameReads(original, copy);
    }

    @Test
    void restoringMidwayThenReplayingTheRestMatchesTheFullReplay() throws IOException {
        List<Entry> log = log(SEED, LOG_SIZE);
        Store full = new Store();
        List<Outcome> fullOutcomes = applyAll(full, log, false);
        Store firstHalf = new Store();
        int cut = LOG_SIZE / 2;
        applyAll(firstHalf, log.subList(0, cut), false);

        Store resumed = restore(snapshot(firstHalf));
        List<Outcome> rest = applyAll(resumed, log.subList(cut, log.size()), true);

        assertThat(rest).usingRecursiveComparison().isEqualTo(fullOutcomes.subList(cut, fullOutcomes.size()));
        assertThat(snapshot(resumed)).isEqualTo(snapshot(full));
        assertSameReads(full, resumed);
    }

    @Test
    void clearThenReplayMatchesFreshReplay() throws IOException {
        List<Entry> log = log(SEED, 1_000);
        Store fresh = new Store();
        applyAll(fresh, log, false);
        Store reused = new Store();
        applyAll(reused, log(SEED + 3, 300), false);

        reused.clear();
        applyAll(reused, log, false);

        assertThat(snapshot(reused)).isEqualTo(snapshot(fresh));
    }

    @Test
    void indexesNeverGoBackwardsAlongTheLog() {
        List<Entry> log = log(SEED, LOG_SIZE);
        Store store = new Store();
        Map<String, Long> lastPrefixIndex = new LinkedHashMap<>();
        Map<Table, Long> lastTable = new LinkedHashMap<>();
        for (Entry e : log) {
            Outcome outcome = store.apply(e.index(), e.time(), e.command());
            if (restored(e, outcome)) {
                // A restore brings back the saved indexes, as Consul's does: blocking clients start over from them.
                Arrays.stream(KEY_PARTS).forEach(p -> lastPrefixIndex.put(p, store.kvList(p).index()));
                Arrays.stream(Table.values()).forEach(t -> lastTable.put(t, store.tableIndex(t)));
                continue;
            }
            for (String p : KEY_PARTS) {
                long now = store.kvList(p).index();
                assertThat(now).as("prefix " + p + " at " + e.index())
                        .isGreaterThanOrEqualTo(lastPrefixIndex.getOrDefault(p, 1L))
                        .isLessThanOrEqualTo(e.index());
                lastPrefixIndex.put(p, now);
            }
            for (Table t : Table.values()) {
                long now = store.tableIndex(t);
                assertThat(now).as("table " + t).isGreaterThanOrEqualTo(lastTable.getOrDefault(t, 1L));
                lastTable.put(t, now);
            }
        }
    }

    /**
     * Each service's and node's own index never goes backwards, and moves to the entry's index whenever what its
     * slice shows changes: a write that forgot to name a service or node would leave its readers asleep.
     */
    @Test
    void aSliceIndexMovesWheneverTheSliceChangesAndNeverGoesBackwards() {
        List<Entry> log = log(SEED, LOG_SIZE);
        Store store = new Store();
        Map<Query.CatalogSlice, Indexed<CatalogView>> last = new LinkedHashMap<>();
        CatalogView empty = new CatalogView(List.of(), List.of(), List.of());
        int changed = 0;
        for (Entry e : log) {
            Outcome outcome = store.apply(e.index(), e.time(), e.command());
            if (restored(e, outcome)) {
                // A restore brings back the saved indexes, as Consul's does: blocking clients start over from them.
                slices().forEach(slice -> last.put(slice, store.query(slice)));
                continue;
            }
            for (Query.CatalogSlice slice : slices()) {
                Indexed<CatalogView> now = store.query(slice);
                Indexed<CatalogView> before = last.getOrDefault(slice, new Indexed<>(empty, 1L));
                assertThat(now.index()).as("%s at %d", slice, e.index()).isGreaterThanOrEqualTo(before.index());
                if (!now.value().equals(before.value())) {
                    changed++;
                    assertThat(now.index()).as("%s changed at %d", slice, e.index()).isEqualTo(e.index());
                }
                last.put(slice, now);
            }
        }
        assertThat(changed).isGreaterThan(LOG_SIZE / 10);
    }
}
