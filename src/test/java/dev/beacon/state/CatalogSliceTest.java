package dev.beacon.state;

import static dev.beacon.state.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Catalog registration as one command, and the catalog slices that catalog and health endpoints read. */
class CatalogSliceTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    private static ServiceInstance web(String node, String id, String... tags) {
        return new ServiceInstance(node, id, "web", List.of(tags), "", 80, Map.of(), false, 0, 0);
    }

    private static HealthCheck check(String node, String id, String serviceId, CheckStatus status) {
        return new HealthCheck(node, id, id, status, "", "", serviceId, "", "", 0, 0);
    }

    @BeforeEach
    void twoNodes() {
        h.applyAt(2, new Command.CatalogRegister(node("n1"), web("n1", "web-1", "a"),
                List.of(check("n1", "serf", "", CheckStatus.PASSING),
                        check("n1", "web-1-http", "web-1", CheckStatus.PASSING))));
        h.applyAt(3, new Command.CatalogRegister(node("n2"), web("n2", "web-2", "b"),
                List.of(check("n2", "web-2-http", "web-2", CheckStatus.CRITICAL))));
        h.applyAt(4, new Command.RegisterService(new ServiceInstance("n2", "db", "db", List.of(), "", 5432,
                Map.of(), false, 0, 0)));
        h.applyAt(5, new Command.RegisterCheck(check("n2", "db-tcp", "db", CheckStatus.PASSING)));
    }

    private Indexed<CatalogView> slice(String node, String service, Table... tables) {
        return h.store.query(new Query.CatalogSlice(node, service, EnumSet.of(tables[0], tables)));
    }

    @Test
    void registerPutsNodeServiceAndChecksAtOneIndex() {
        assertThat(h.store.node("n1").modifyIndex()).isEqualTo(2);
        assertThat(h.store.services().value()).filteredOn(s -> s.node().equals("n1"))
                .extracting(ServiceInstance::modifyIndex).containsExactly(2L);
        assertThat(h.store.checks().value()).filteredOn(c -> c.node().equals("n1"))
                .extracting(HealthCheck::modifyIndex).containsOnly(2L);
        assertThat(h.store.checks().value()).filteredOn(c -> c.checkId().equals("web-1-http"))
                .extracting(HealthCheck::serviceName).containsExactly("web");
    }

    @Test
    void aRegistrationWithABadCheckWritesNothing() {
        byte[] before = h.snapshot();

        Outcome outcome = h.applyAt(9, new Command.CatalogRegister(node("n3"), web("n3", "web-3"),
                List.of(check("n3", "c", "nosuch", CheckStatus.PASSING))));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).contains("unknown service nosuch");
        assertThat(h.store.node("n3")).isNull();
        assertThat(h.store.tableIndex(Table.NODES)).isEqualTo(3);
        assertThat(h.snapshot()).isNotEqualTo(before);   // only lastIndex moved
        assertThat(h.store.services().value()).extracting(ServiceInstance::node).doesNotContain("n3");
    }

    @Test
    void aServiceSliceHasItsInstancesTheirNodesAndOnlyTheirChecks() {
        CatalogView web = slice(null, "web", Table.SERVICES).value();

        assertThat(web.services()).extracting(ServiceInstance::id).containsExactly("web-1", "web-2");
        assertThat(web.nodes()).extracting(Node::name).containsExactly("n1", "n2");
        assertThat(web.checks()).extracting(HealthCheck::checkId)
                .containsExactlyInAnyOrder("serf", "web-1-http", "web-2-http");
        assertThat(web.node("n2")).isNotNull();
        assertThat(web.node("n9")).isNull();
    }

    @Test
    void aNodeSliceHasEverythingOnThatNode() {
        CatalogView n2 = slice("n2", null, Table.NODES).value();

        assertThat(n2.nodes()).extracting(Node::name).containsExactly("n2");
        assertThat(n2.services()).extracting(ServiceInstance::id).containsExactly("db", "web-2");
        assertThat(n2.checks()).extracting(HealthCheck::checkId).containsExactly("db-tcp", "web-2-http");
        assertThat(slice("missing", null, Table.NODES).value().nodes()).isEmpty();
    }

    @Test
    void withoutServiceOrNodeTheIndexIsTheHighestOfTheNamedTables() {
        assertThat(slice(null, null, Table.NODES).index()).isEqualTo(3);
        assertThat(slice(null, null, Table.SERVICES).index()).isEqualTo(4);
        assertThat(slice(null, null, Table.SERVICES, Table.CHECKS).index()).isEqualTo(5);
    }

    @Test
    void aServiceOrNodeSliceHasItsOwnIndex() {
        assertThat(slice(null, "web", Table.SERVICES, Table.CHECKS).index()).as("db's writes on n2").isEqualTo(3);
        assertThat(slice(null, "db", Table.SERVICES, Table.CHECKS).index()).isEqualTo(5);
        assertThat(slice("n1", null, Table.NODES).index()).isEqualTo(2);
        assertThat(slice("n2", null, Table.NODES).index()).isEqualTo(5);
    }

    @Test
    void aWatchOnSeveralTablesFiresOnceForAChangeToAnyAndLeavesThemAll() {
        int[] fired = {0};
        h.store.watch(new Query.CatalogSlice(null, null, EnumSet.of(Table.SERVICES, Table.CHECKS)), 5,
                () -> fired[0]++);
        assertThat(h.store.watchCount()).isEqualTo(2);

        h.applyAt(6, new Command.RegisterCheck(check("n1", "serf", "", CheckStatus.CRITICAL)));
        h.applyAt(7, new Command.RegisterService(web("n1", "web-9")));

        assertThat(fired[0]).isEqualTo(1);
        assertThat(h.store.watchCount()).isZero();
    }
}
