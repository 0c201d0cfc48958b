package dev.beacon.state;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.check;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.service;
import static dev.beacon.state.Fixtures.session;
import static dev.beacon.state.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Table indexes move only for the tables a command really changes; indexes must increase. */
class TableIndexTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    private void seed() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.RegisterService(service("n1", "web-1", "web")));
        h.applyAt(3, new Command.RegisterCheck(check("n1", "chk", "web-1")));
        h.applyAt(4, new Command.CreateSession(session("s1", "n1", SessionBehavior.RELEASE)));
        h.applyAt(5, set("k", "v"));
    }

    private Map<Table, Long> expected(long nodes, long services, long checks, long kv, long sessions) {
        Map<Table, Long> m = new EnumMap<>(Table.class);
        m.put(Table.NODES, nodes);
        m.put(Table.SERVICES, services);
        m.put(Table.CHECKS, checks);
        m.put(Table.KV, kv);
        m.put(Table.SESSIONS, sessions);
        m.put(Table.EVENTS, 1L);
        m.put(Table.ACL_TOKENS, 1L);
        m.put(Table.ACL_POLICIES, 1L);
        m.put(Table.ACL_ROLES, 1L);
        m.put(Table.PREPARED_QUERIES, 1L);
        return m;
    }

    @Test
    void seedSetsEachTableAtItsOwnIndex() {
        seed();
        assertThat(h.tableIndexes()).isEqualTo(expected(1, 2, 3, 5, 4));
        assertThat(h.store.lastIndex()).isEqualTo(5);
    }

    @Test
    void kvWriteMovesOnlyKvTable() {
        seed();
        h.applyAt(10, set("k2", "v"));
        assertThat(h.tableIndexes()).isEqualTo(expected(1, 2, 3, 10, 4));
    }

    @Test
    void nodeRegistrationMovesOnlyNodesTable() {
        seed();
        h.applyAt(10, new Command.RegisterNode(node("n2")));
        assertThat(h.tableIndexes()).isEqualTo(expected(10, 2, 3, 5, 4));
    }

    @Test
    void serviceRegistrationMovesOnlyServicesTable() {
        seed();
        h.applyAt(10, new Command.RegisterService(service("n1", "web-2", "web")));
        assertThat(h.tableIndexes()).isEqualTo(expected(1, 10, 3, 5, 4));
    }

    @Test
    void checkRegistrationMovesOnlyChecksTable() {
        seed();
        h.applyAt(10, new Command.RegisterCheck(check("n1", "chk", "web-1", CheckStatus.CRITICAL)));
        assertThat(h.tableIndexes()).isEqualTo(expected(1, 2, 10, 5, 4));
    }

    @Test
    void sessionCreationMovesOnlySessionsTable() {
        seed();
        h.applyAt(10, new Command.CreateSession(session("s2", "n1", SessionBehavior.DELETE)));
        assertThat(h.tableIndexes()).isEqualTo(expected(1, 2, 3, 5, 10));
    }

    @Test
    void deregisterServiceMovesServicesAndChecksOnly() {
        seed();
        h.applyAt(10, new Command.DeregisterService("n1", "web-1"));
        assertThat(h.tableIndexes()).isEqualTo(expected(1, 10, 10, 5, 4));
    }

    @Test
    void deregisterNodeMovesNodesServicesChecksAndSessionsButNotKv() {
        seed();
        h.applyAt(10, new Command.DeregisterNode("n1"));
        assertThat(h.tableIndexes()).isEqualTo(expected(10, 10, 10, 5, 10));
    }

    @Test
    void identicalReRegistrationsBumpNoIndex() {
        seed();
        Map<Table, Long> before = h.tableIndexes();

        h.applyAt(10, new Command.RegisterNode(node("n1")));
        h.applyAt(11, new Command.RegisterService(service("n1", "web-1", "web")));
        h.applyAt(12, new Command.RegisterCheck(check("n1", "chk", "web-1")));

        assertThat(h.tableIndexes()).isEqualTo(before);
        assertThat(h.store.node("n1").modifyIndex()).isEqualTo(1);
        assertThat(h.store.services().value().get(0).modifyIndex()).isEqualTo(2);
        assertThat(h.store.checks().value().get(0).modifyIndex()).isEqualTo(3);
        assertThat(h.store.lastIndex()).isEqualTo(12);
    }

    @Test
    void reRegistrationIgnoresIncomingIndexesWhenComparing() {
        seed();
        Node sameWithOtherIndexes = node("n1").withIndexes(77, 88);

        h.applyAt(10, new Command.RegisterNode(sameWithOtherIndexes));

        assertThat(h.store.tableIndex(Table.NODES)).isEqualTo(1);
        assertThat(h.store.node("n1").createIndex()).isEqualTo(1);
        assertThat(h.store.node("n1").modifyIndex()).isEqualTo(1);
    }

    @Test
    void changedReRegistrationBumpsAndKeepsCreateIndex() {
        seed();
        h.applyAt(10, new Command.RegisterNode(node("n1", "10.9.9.9")));

        Node n = h.store.node("n1");
        assertThat(n.address()).isEqualTo("10.9.9.9");
        assertThat(n.createIndex()).isEqualTo(1);
        assertThat(n.modifyIndex()).isEqualTo(10);
        assertThat(h.tableIndexes()).isEqualTo(expected(10, 2, 3, 5, 4));
    }

    @Test
    void refusedCasMovesNoTableButMovesLastIndex() {
        seed();
        h.applyAt(10, Fixtures.setCas("k", "x", 0));
        assertThat(h.tableIndexes()).isEqualTo(expected(1, 2, 3, 5, 4));
        assertThat(h.store.lastIndex()).isEqualTo(10);
    }

    @Test
    void failedCatalogWriteMovesNoTable() {
        seed();
        Outcome outcome = h.applyAt(10, new Command.RegisterService(service("ghost", "x", "x")));
        assertThat(outcome.success()).isFalse();
        assertThat(h.tableIndexes()).isEqualTo(expected(1, 2, 3, 5, 4));
    }

    @Test
    void replayingTheLastIndexThrows() {
        h.applyAt(5, set("k", "v"));

        assertThatThrownBy(() -> h.store.apply(5, 0, set("k", "other")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(Fixtures.text(h.get("k").value())).isEqualTo("v");
        assertThat(h.store.lastIndex()).isEqualTo(5);
    }

    @Test
    void applyingALowerIndexThrowsAndChangesNothing() {
        h.applyAt(5, set("k", "v"));

        assertThatThrownBy(() -> h.store.apply(3, 0, set("other", "v")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("3")
                .hasMessageContaining("5");
        assertThat(h.get("other")).isNull();
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(5);
        assertThat(h.store.lastIndex()).isEqualTo(5);
    }

    @Test
    void indexZeroOnFreshStoreThrows() {
        assertThatThrownBy(() -> h.store.apply(0, 0, set("k", "v"))).isInstanceOf(IllegalStateException.class);
        assertThat(h.get("k")).isNull();
    }

    @Test
    void gapsInIndexesAreAllowed() {
        h.applyAt(1, set("a", "1"));
        h.applyAt(1_000, set("b", "1"));
        assertThat(h.store.lastIndex()).isEqualTo(1_000);
        assertThat(h.keyIndex("b")).isEqualTo(1_000);
    }

    @Test
    void noOpCommandsMoveOnlyLastIndex() {
        seed();
        List<Command> noOps = List.of(
                Fixtures.del("missing"),
                Fixtures.delTree("missing/"),
                new Command.DeregisterNode("ghost"),
                new Command.DeregisterService("n1", "ghost"),
                new Command.DeregisterCheck("n1", "ghost"),
                new Command.DestroySession("ghost"),
                new Command.ReapTombstones(100));
        long at = 10;
        for (Command c : noOps) {
            assertThat(h.applyAt(at++, c).success()).as(c.toString()).isTrue();
        }
        assertThat(h.tableIndexes()).isEqualTo(expected(1, 2, 3, 5, 4));
        assertThat(h.store.lastIndex()).isEqualTo(16);
    }
}
