package dev.beacon.state;

import static dev.beacon.state.Fixtures.check;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.service;
import static dev.beacon.state.Fixtures.session;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.beacon.state.CatalogTxnOp.Verb;
import org.junit.jupiter.api.Test;

/** Node, Service and Check operations of /v1/txn: with KV ones, at one index, or not at all. */
class CatalogTxnTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    private Outcome txn(long index, TxnOperation... ops) {
        return h.applyAt(index, new Command.Txn(List.of(ops)));
    }

    /** Applies the setup commands at indexes 2, 3, ... to the harness. */
    private static void setUp(Fixtures.Harness harness, Command... commands) {
        for (int i = 0; i < commands.length; i++) {
            harness.applyAt(2 + i, commands[i]);
        }
    }

    /** The state after the setup and a no-op at {@code index}: what a rolled-back transaction must leave. */
    private static byte[] unchanged(long index, Command... setup) {
        Fixtures.Harness replay = new Fixtures.Harness();
        setUp(replay, setup);
        replay.applyAt(index, new Command.ReapTombstones(0));
        return replay.snapshot();
    }

    private static CatalogTxnOp.OnNode onNode(Verb verb, String name, long index) {
        return new CatalogTxnOp.OnNode(verb, node(name), index);
    }

    private static CatalogTxnOp.OnService onService(Verb verb, String node, String id, long index) {
        return new CatalogTxnOp.OnService(verb, service(node, id, "web"), index);
    }

    private static CatalogTxnOp.OnCheck onCheck(Verb verb, String node, String id, String serviceId, long index) {
        return new CatalogTxnOp.OnCheck(verb, check(node, id, serviceId, CheckStatus.PASSING), index);
    }

    private static TxnOp kvSet(String key) {
        return new TxnOp(TxnOp.Verb.SET, key, "v".getBytes(StandardCharsets.UTF_8), 0, 0, null);
    }

    @Test
    void nodeServiceCheckAndKeyAreWrittenAtOneIndexAndReturned() {
        Outcome outcome = txn(4,
                onNode(Verb.SET, "n1", 0),
                onService(Verb.SET, "n1", "web-1", 0),
                onCheck(Verb.SET, "n1", "service:web-1", "web-1", 0),
                kvSet("config/web"),
                onService(Verb.GET, "n1", "web-1", 0));

        assertThat(outcome.success()).as("errors %s", outcome.txnErrors()).isTrue();
        assertThat(outcome.results()).hasSize(5);
        assertThat(outcome.results().get(0)).isInstanceOfSatisfying(Node.class,
                n -> assertThat(n.name()).isEqualTo("n1"));
        assertThat(outcome.results().get(2)).isInstanceOfSatisfying(HealthCheck.class,
                c -> assertThat(c.serviceName()).isEqualTo("web"));
        assertThat(outcome.results().get(4)).isInstanceOfSatisfying(ServiceInstance.class,
                s -> assertThat(s.id()).isEqualTo("web-1"));
        assertThat(outcome.results()).extracting(TxnResult::modifyIndex).containsOnly(4L);
        assertThat(h.tableIndexes()).containsEntry(Table.NODES, 4L).containsEntry(Table.SERVICES, 4L)
                .containsEntry(Table.CHECKS, 4L).containsEntry(Table.KV, 4L);
    }

    @Test
    void aFailedCatalogOperationUndoesEveryOtherOperation() {
        Command[] setup = {new Command.RegisterNode(node("n1")),
            new Command.RegisterService(service("n1", "web-1", "web")),
            new Command.RegisterCheck(check("n1", "service:web-1", "web-1", CheckStatus.PASSING))};
        setUp(h, setup);
        var indexesBefore = h.tableIndexes();

        Outcome outcome = txn(9,
                kvSet("a"),
                onNode(Verb.SET, "n2", 0),
                onService(Verb.SET, "n2", "api-1", 0),
                onService(Verb.DELETE, "n1", "web-1", 0),
                onNode(Verb.CAS, "n1", 99),
                onNode(Verb.DELETE, "n1", 0),
                onService(Verb.SET, "ghost", "x", 0));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.txnErrors()).extracting(TxnError::opIndex).containsExactly(4, 6);
        assertThat(outcome.txnErrors().get(0).what()).isEqualTo("failed to set node \"n1\", index is stale");
        assertThat(outcome.txnErrors().get(1).what()).isEqualTo("unknown node ghost");
        assertThat(h.snapshot()).isEqualTo(unchanged(9, setup));
        assertThat(h.tableIndexes()).isEqualTo(indexesBefore);
        assertThat(h.store.services().value()).extracting(ServiceInstance::id).containsExactly("web-1");
    }

    @Test
    void casWithIndexZeroOnlyCreates() {
        h.applyAt(2, new Command.RegisterNode(node("n1")));

        assertThat(txn(3, onNode(Verb.CAS, "n1", 0)).txnErrors()).extracting(TxnError::what)
                .containsExactly("failed to set node \"n1\", index is stale");
        assertThat(txn(4, onNode(Verb.CAS, "n2", 0)).success()).isTrue();
        assertThat(txn(5, onNode(Verb.CAS, "n2", 4)).success()).isTrue();
        assertThat(h.store.node("n2").modifyIndex()).isEqualTo(4);
    }

    @Test
    void getAndDeleteCasNameWhatIsMissingOrStale() {
        h.applyAt(2, new Command.RegisterNode(node("n1")));
        h.applyAt(3, new Command.RegisterService(service("n1", "web-1", "web")));

        Outcome outcome = txn(5,
                onNode(Verb.GET, "nope", 0),
                onService(Verb.GET, "n1", "nope", 0),
                onCheck(Verb.GET, "n1", "nope", "", 0),
                onService(Verb.DELETE_CAS, "n1", "web-1", 2),
                onCheck(Verb.DELETE_CAS, "n1", "nope", "", 0));

        assertThat(outcome.txnErrors()).extracting(TxnError::what).containsExactly(
                "node \"nope\" doesn't exist",
                "service \"nope\" on node \"n1\" doesn't exist",
                "check \"nope\" on node \"n1\" doesn't exist",
                "failed to delete service \"web-1\" on node \"n1\", index is stale",
                "failed to delete check \"nope\" on node \"n1\", index is stale");

        assertThat(txn(6, onService(Verb.DELETE_CAS, "n1", "web-1", 3)).success()).isTrue();
        assertThat(h.store.services().value()).isEmpty();
    }

    @Test
    void deletingANodeDestroysItsSessionsAndAFailureBringsThemBack() {
        Command[] setup = {new Command.RegisterNode(node("n1")),
            new Command.CreateSession(session("s1", "n1", SessionBehavior.RELEASE)),
            new Command.KvLock("lock", null, 0, "s1")};
        setUp(h, setup);

        Outcome failed = txn(5, onNode(Verb.DELETE, "n1", 0), onNode(Verb.GET, "n1", 0));

        assertThat(failed.success()).isFalse();
        assertThat(h.snapshot()).isEqualTo(unchanged(5, setup));
        assertThat(h.get("lock").session()).isEqualTo("s1");

        assertThat(txn(6, onNode(Verb.DELETE, "n1", 0)).success()).isTrue();
        assertThat(h.store.session("s1")).isNull();
        assertThat(h.get("lock").session()).isNull();
    }
}
