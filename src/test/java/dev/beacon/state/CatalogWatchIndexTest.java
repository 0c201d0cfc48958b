package dev.beacon.state;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.check;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-service and per-node indexes (Consul GH-3890): a slice of one service or node carries its own index and
 * wakes only on changes to what it shows.
 */
class CatalogWatchIndexTest {
    private static final Set<Table> HEALTH = EnumSet.of(Table.SERVICES, Table.CHECKS, Table.NODES);
    private final Fixtures.Harness h = new Fixtures.Harness();

    /** n1 hosts web-1 (web) with a check, n2 hosts db-1 (db); n3 hosts nothing. Every write at its own index. */
    @BeforeEach
    void catalog() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.RegisterNode(node("n2")));
        h.applyAt(3, new Command.RegisterNode(node("n3")));
        h.applyAt(4, new Command.RegisterService(service("n1", "web-1", "web")));
        h.applyAt(5, new Command.RegisterService(service("n2", "db-1", "db")));
        h.applyAt(6, new Command.RegisterCheck(check("n1", "web-http", "web-1")));
        h.applyAt(7, new Command.RegisterCheck(check("n2", "serfHealth", "")));
    }

    private long serviceIndex(String name) {
        return h.store.query(new Query.CatalogSlice(null, name, HEALTH)).index();
    }

    private long nodeIndex(String name) {
        return h.store.query(new Query.CatalogSlice(name, null, HEALTH)).index();
    }

    private AtomicInteger watchService(String name) {
        AtomicInteger fired = new AtomicInteger();
        h.store.watch(new Query.CatalogSlice(null, name, HEALTH), serviceIndex(name), fired::incrementAndGet);
        return fired;
    }

    private AtomicInteger watchNode(String name) {
        AtomicInteger fired = new AtomicInteger();
        h.store.watch(new Query.CatalogSlice(name, null, HEALTH), nodeIndex(name), fired::incrementAndGet);
        return fired;
    }

    @Test
    void eachServiceAndNodeStartsAtItsLastChange() {
        assertThat(serviceIndex("web")).isEqualTo(6);
        assertThat(serviceIndex("db")).as("serfHealth on its node").isEqualTo(7);
        assertThat(nodeIndex("n1")).isEqualTo(6);
        assertThat(nodeIndex("n3")).isEqualTo(3);
    }

    @Test
    void aWriteToAnotherServiceNeitherWakesNorMovesIt() {
        AtomicInteger web = watchService("web");

        h.applyAt(10, new Command.RegisterService(service("n2", "db-2", "db")));
        h.applyAt(11, new Command.RegisterCheck(check("n2", "db-tcp", "db-2")));
        h.applyAt(12, new Command.DeregisterService("n2", "db-1"));

        assertThat(web).hasValue(0);
        assertThat(serviceIndex("web")).isEqualTo(6);
        assertThat(serviceIndex("db")).isEqualTo(12);
    }

    @Test
    void aNodeLevelCheckOnANodeNotHostingItDoesNotWakeIt() {
        AtomicInteger web = watchService("web");

        h.applyAt(10, new Command.RegisterCheck(check("n3", "serfHealth", "", CheckStatus.CRITICAL)));
        h.applyAt(11, new Command.RegisterNode(node("n2", "10.9.9.9")));

        assertThat(web).hasValue(0);
        assertThat(serviceIndex("web")).isEqualTo(6);
    }

    @Test
    void aCheckOnAnInstanceWakesItsService() {
        AtomicInteger web = watchService("web");

        h.applyAt(10, new Command.RegisterCheck(check("n1", "web-http", "web-1", CheckStatus.CRITICAL)));

        assertThat(web).hasValue(1);
        assertThat(serviceIndex("web")).isEqualTo(10);
    }

    @Test
    void aNodeLevelCheckOnAHostingNodeWakesTheService() {
        AtomicInteger web = watchService("web");

        h.applyAt(10, new Command.RegisterCheck(check("n1", "_node_maintenance", "", CheckStatus.CRITICAL)));

        assertThat(web).hasValue(1);
        assertThat(serviceIndex("web")).isEqualTo(10);
    }

    @Test
    void nodeChangesWakeTheServicesItHosts() {
        AtomicInteger first = watchService("web");
        h.applyAt(10, new Command.RegisterNode(node("n1", "10.1.1.1")));
        assertThat(first).hasValue(1);

        AtomicInteger second = watchService("web");
        h.applyAt(11, new Command.DeregisterNode("n1"));
        assertThat(second).hasValue(1);
        assertThat(serviceIndex("web")).isEqualTo(11);
    }

    @Test
    void deregisteringTheServiceWakesItAndItsIndexStays() {
        AtomicInteger web = watchService("web");

        h.applyAt(10, new Command.DeregisterService("n1", "web-1"));
        h.applyAt(11, new Command.KvSet("k", Fixtures.bytes("v"), 0, Command.NO_CAS));

        assertThat(web).hasValue(1);
        assertThat(h.store.query(new Query.CatalogSlice(null, "web", HEALTH)).value().services()).isEmpty();
        assertThat(serviceIndex("web")).as("a kept index, not the tables' fallback").isEqualTo(10);
    }

    @Test
    void renamingAnInstanceWakesBothNames() {
        AtomicInteger web = watchService("web");
        AtomicInteger api = watchService("api");

        h.applyAt(10, new Command.RegisterService(service("n1", "web-1", "api")));

        assertThat(web).hasValue(1);
        assertThat(api).hasValue(1);
    }

    @Test
    void anUnknownServiceHasTheTablesIndexAndWakesWhenRegistered() {
        assertThat(serviceIndex("cache")).isEqualTo(7);
        AtomicInteger cache = watchService("cache");

        h.applyAt(10, new Command.RegisterService(service("n2", "db-2", "db")));
        assertThat(cache).hasValue(0);
        assertThat(serviceIndex("cache")).as("still the tables' index: never backwards").isEqualTo(10);

        h.applyAt(11, new Command.RegisterService(service("n3", "cache-1", "cache")));
        assertThat(cache).hasValue(1);
        assertThat(serviceIndex("cache")).isEqualTo(11);
    }

    @Test
    void anIndexNeverGoesBackwardsAcrossDeleteAndReRegistration() {
        h.applyAt(10, new Command.DeregisterService("n1", "web-1"));
        h.applyAt(20, new Command.RegisterService(service("n2", "db-2", "db")));
        assertThat(serviceIndex("web")).isEqualTo(10);

        h.applyAt(30, new Command.RegisterService(service("n3", "web-3", "web")));
        assertThat(serviceIndex("web")).isEqualTo(30);

        h.applyAt(40, new Command.DeregisterNode("n1"));
        assertThat(nodeIndex("n1")).isEqualTo(40);
        h.applyAt(50, new Command.RegisterNode(node("n1")));
        assertThat(nodeIndex("n1")).isEqualTo(50);
    }

    @Test
    void aNodeWatchWakesOnItsRowServicesAndChecksOnly() {
        AtomicInteger n1 = watchNode("n1");
        h.applyAt(10, new Command.RegisterService(service("n2", "db-2", "db")));
        h.applyAt(11, new Command.RegisterCheck(check("n2", "serfHealth", "", CheckStatus.WARNING)));
        h.applyAt(12, new Command.RegisterNode(node("n3", "10.3.3.3")));
        assertThat(n1).hasValue(0);
        assertThat(nodeIndex("n1")).isEqualTo(6);

        h.applyAt(13, new Command.RegisterCheck(check("n1", "web-http", "web-1", CheckStatus.WARNING)));
        assertThat(n1).hasValue(1);

        AtomicInteger again = watchNode("n1");
        h.applyAt(14, new Command.RegisterService(service("n1", "web-2", "web")));
        assertThat(again).hasValue(1);

        AtomicInteger third = watchNode("n1");
        h.applyAt(15, new Command.DeregisterCheck("n1", "web-http"));
        assertThat(third).hasValue(1);
        assertThat(nodeIndex("n1")).isEqualTo(15);
    }

    @Test
    void anUnknownNodeWakesWhenRegistered() {
        AtomicInteger n9 = watchNode("n9");
        h.applyAt(10, new Command.RegisterNode(node("n2", "10.2.2.2")));
        assertThat(n9).hasValue(0);

        h.applyAt(11, new Command.RegisterNode(node("n9")));
        assertThat(n9).hasValue(1);
        assertThat(nodeIndex("n9")).isEqualTo(11);
    }

    @Test
    void anIdenticalReRegistrationMovesNothing() {
        AtomicInteger web = watchService("web");

        h.applyAt(10, new Command.RegisterService(service("n1", "web-1", "web")));
        h.applyAt(11, new Command.RegisterNode(node("n1")));

        assertThat(web).hasValue(0);
        assertThat(serviceIndex("web")).isEqualTo(6);
    }

    @Test
    void aSliceOfAllServicesStillWakesOnAnyServiceChange() {
        AtomicInteger all = new AtomicInteger();
        Query.CatalogSlice services = new Query.CatalogSlice(null, null, Set.of(Table.SERVICES));
        h.store.watch(services, h.store.query(services).index(), all::incrementAndGet);

        h.applyAt(10, new Command.RegisterService(service("n3", "x-1", "x")));

        assertThat(all).hasValue(1);
        assertThat(h.store.query(services).index()).isEqualTo(10);
    }

    @Test
    void aFailedTransactionMovesNoServiceOrNodeIndex() {
        AtomicInteger web = watchService("web");

        Outcome outcome = h.applyAt(10, new Command.Txn(List.of(
                new CatalogTxnOp.OnService(CatalogTxnOp.Verb.SET, service("n1", "web-2", "web"), 0),
                new TxnOp(TxnOp.Verb.GET, "missing", null, 0, 0, null))));

        assertThat(outcome.success()).isFalse();
        assertThat(web).hasValue(0);
        assertThat(serviceIndex("web")).isEqualTo(6);
        assertThat(nodeIndex("n1")).isEqualTo(6);
    }

    @Test
    void cancelledServiceAndNodeWatchesLeaveTheRegistry() {
        Watch service = h.store.watch(new Query.CatalogSlice(null, "web", HEALTH), 6, () -> { });
        Watch node = h.store.watch(new Query.CatalogSlice("n1", null, HEALTH), 6, () -> { });
        assertThat(h.store.watchCount()).isEqualTo(2);

        service.cancel();
        node.cancel();

        assertThat(h.store.watchCount()).isZero();
    }

    @Test
    void indexesSurviveSnapshotAndRestore() throws IOException {
        h.applyAt(10, new Command.DeregisterService("n1", "web-1"));
        byte[] snapshot = h.snapshot();

        Store copy = new Store();
        copy.restoreSnapshot(new ByteArrayInputStream(snapshot));

        for (String service : List.of("web", "db", "never")) {
            Query.CatalogSlice slice = new Query.CatalogSlice(null, service, HEALTH);
            assertThat(copy.query(slice)).as(service).isEqualTo(h.store.query(slice));
        }
        for (String node : List.of("n1", "n2", "n3", "never")) {
            Query.CatalogSlice slice = new Query.CatalogSlice(node, null, HEALTH);
            assertThat(copy.query(slice)).as(node).isEqualTo(h.store.query(slice));
        }
        assertThat(copy.query(new Query.CatalogSlice(null, "web", HEALTH)).index()).isEqualTo(10);
    }

    @Test
    void theIndexOfANameCountsInTheFootprint() {
        long before = h.store.usage().bytes();

        h.applyAt(10, new Command.RegisterService(service("n3", "cache-1", "cache")));

        assertThat(h.store.usage().bytes() - before)
                .isEqualTo(Footprint.SERVICE + Footprint.NAME_INDEX_OVERHEAD + "cache".length());
    }

    @Test
    void aSliceOfAServiceOnOneNodeFollowsTheService() {
        Query.CatalogSlice webOnN1 = new Query.CatalogSlice("n1", "web", HEALTH);
        assertThat(h.store.query(webOnN1).index()).isEqualTo(6);

        h.applyAt(10, new Command.RegisterCheck(check("n1", "other", "", CheckStatus.WARNING)));

        assertThat(h.store.query(webOnN1).index()).isEqualTo(10);
        assertThat(h.store.query(webOnN1).value().checks()).extracting(HealthCheck::checkId).contains("other");
    }
}
