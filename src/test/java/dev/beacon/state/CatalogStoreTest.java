package dev.beacon.state;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.check;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.service;
import static dev.beacon.state.Fixtures.session;
import static org.assertj.core.api.Assertions.assertThat;

/** Nodes, services and checks. */
class CatalogStoreTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    private static List<String> serviceIds(List<ServiceInstance> services) {
        return services.stream().map(s -> s.node() + "/" + s.id()).collect(Collectors.toList());
    }

    private static List<String> checkIds(List<HealthCheck> checks) {
        return checks.stream().map(c -> c.node() + "/" + c.checkId()).collect(Collectors.toList());
    }

    @Test
    void registerNodeStoresFieldsAndAssignsIndexes() {
        Node incoming = new Node("n1", "uuid-1", "10.0.0.1", "dc1", Map.of("wan", "1.2.3.4"),
                Map.of("env", "prod"), 99, 99);

        Outcome outcome = h.applyAt(4, new Command.RegisterNode(incoming));

        assertThat(outcome).isEqualTo(new Outcome(4, true, null));
        Node n = h.store.node("n1");
        assertThat(n).isEqualTo(new Node("n1", "uuid-1", "10.0.0.1", "dc1", Map.of("wan", "1.2.3.4"),
                Map.of("env", "prod"), 4, 4));
        assertThat(h.store.nodes().value()).containsExactly(n);
        assertThat(h.store.nodes().index()).isEqualTo(4);
    }

    @Test
    void nodesAreListedByName() {
        h.apply(new Command.RegisterNode(node("charlie")));
        h.apply(new Command.RegisterNode(node("alpha")));
        h.apply(new Command.RegisterNode(node("bravo")));

        assertThat(h.store.nodes().value()).extracting(Node::name).containsExactly("alpha", "bravo", "charlie");
    }

    @Test
    void unknownNodeLookupIsNull() {
        assertThat(h.store.node("nope")).isNull();
    }

    @Test
    void registerServiceStoresItWithIndexes() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));

        Outcome outcome = h.applyAt(3, new Command.RegisterService(service("n1", "web-1", "web", 9090)));

        assertThat(outcome.success()).isTrue();
        List<ServiceInstance> services = h.store.services().value();
        assertThat(services).hasSize(1);
        ServiceInstance s = services.get(0);
        assertThat(s.node()).isEqualTo("n1");
        assertThat(s.id()).isEqualTo("web-1");
        assertThat(s.service()).isEqualTo("web");
        assertThat(s.port()).isEqualTo(9090);
        assertThat(s.tags()).containsExactly("v1", "primary");
        assertThat(s.meta()).isEqualTo(Map.of("version", "1"));
        assertThat(s.createIndex()).isEqualTo(3);
        assertThat(s.modifyIndex()).isEqualTo(3);
        assertThat(h.store.services().index()).isEqualTo(3);
    }

    @Test
    void updatingServiceKeepsCreateIndex() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.RegisterService(service("n1", "web-1", "web", 80)));
        h.applyAt(6, new Command.RegisterService(service("n1", "web-1", "web", 81)));

        ServiceInstance s = h.store.services().value().get(0);
        assertThat(s.port()).isEqualTo(81);
        assertThat(s.createIndex()).isEqualTo(2);
        assertThat(s.modifyIndex()).isEqualTo(6);
    }

    @Test
    void sameServiceIdOnTwoNodesIsTwoInstances() {
        h.apply(new Command.RegisterNode(node("n1")));
        h.apply(new Command.RegisterNode(node("n2")));
        h.apply(new Command.RegisterService(service("n2", "web", "web")));
        h.apply(new Command.RegisterService(service("n1", "web", "web")));

        assertThat(serviceIds(h.store.services().value())).containsExactly("n1/web", "n2/web");
    }

    @Test
    void serviceOnUnknownNodeIsRefusedWithErrorAndChangesNothing() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));

        Outcome outcome = h.applyAt(2, new Command.RegisterService(service("ghost", "web-1", "web")));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.index()).isEqualTo(2);
        assertThat(outcome.error()).isNotBlank().contains("ghost");
        assertThat(h.store.services().value()).isEmpty();
        assertThat(h.store.services().index()).isEqualTo(1);
        assertThat(h.store.nodes().value()).extracting(Node::name).containsExactly("n1");
    }

    @Test
    void checkOnUnknownNodeIsRefusedWithError() {
        Outcome outcome = h.applyAt(2, new Command.RegisterCheck(check("ghost", "c1", "")));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).isNotBlank().contains("ghost");
        assertThat(h.store.checks().value()).isEmpty();
        assertThat(h.store.tableIndex(Table.CHECKS)).isEqualTo(1);
    }

    @Test
    void checkForUnknownServiceIsRefusedWithError() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));

        Outcome outcome = h.applyAt(2, new Command.RegisterCheck(check("n1", "c1", "missing-svc")));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).isNotBlank().contains("missing-svc");
        assertThat(h.store.checks().value()).isEmpty();
    }

    @Test
    void checkBoundToServiceGetsServiceName() {
        h.apply(new Command.RegisterNode(node("n1")));
        h.apply(new Command.RegisterService(service("n1", "web-1", "frontend")));
        HealthCheck incoming = new HealthCheck("n1", "service:web-1", "Service check", CheckStatus.CRITICAL, "notes",
                "out", "web-1", "whatever-the-caller-said", "http", 5, 5);

        h.applyAt(10, new Command.RegisterCheck(incoming));

        HealthCheck c = h.store.checks().value().get(0);
        assertThat(c.serviceName()).isEqualTo("frontend");
        assertThat(c.serviceId()).isEqualTo("web-1");
        assertThat(c.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(c.notes()).isEqualTo("notes");
        assertThat(c.output()).isEqualTo("out");
        assertThat(c.type()).isEqualTo("http");
        assertThat(c.createIndex()).isEqualTo(10);
        assertThat(c.modifyIndex()).isEqualTo(10);
    }

    @Test
    void nodeLevelCheckHasEmptyServiceName() {
        h.apply(new Command.RegisterNode(node("n1")));
        h.apply(new Command.RegisterCheck(new HealthCheck("n1", "serfHealth", "Serf", CheckStatus.PASSING, "", "",
                "", "bogus", "", 0, 0)));

        assertThat(h.store.checks().value().get(0).serviceName()).isEmpty();
    }

    @Test
    void checkStatusUpdateKeepsCreateIndex() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.RegisterCheck(check("n1", "c1", "", CheckStatus.PASSING)));
        h.applyAt(5, new Command.RegisterCheck(check("n1", "c1", "", CheckStatus.WARNING)));

        HealthCheck c = h.store.checks().value().get(0);
        assertThat(c.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(c.createIndex()).isEqualTo(2);
        assertThat(c.modifyIndex()).isEqualTo(5);
    }

    @Test
    void deregisterServiceRemovesItAndOnlyItsChecks() {
        h.apply(new Command.RegisterNode(node("n1")));
        h.apply(new Command.RegisterService(service("n1", "web-1", "web")));
        h.apply(new Command.RegisterService(service("n1", "web-2", "web")));
        h.apply(new Command.RegisterCheck(check("n1", "c-web-1", "web-1")));
        h.apply(new Command.RegisterCheck(check("n1", "c-web-1b", "web-1")));
        h.apply(new Command.RegisterCheck(check("n1", "c-web-2", "web-2")));
        h.apply(new Command.RegisterCheck(check("n1", "c-node", "")));

        Outcome outcome = h.apply(new Command.DeregisterService("n1", "web-1"));

        assertThat(outcome.success()).isTrue();
        assertThat(serviceIds(h.store.services().value())).containsExactly("n1/web-2");
        assertThat(checkIds(h.store.checks().value())).containsExactly("n1/c-node", "n1/c-web-2");
    }

    @Test
    void deregisterServiceWithoutChecksDoesNotMoveChecksTable() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.RegisterService(service("n1", "web-1", "web")));
        h.applyAt(3, new Command.RegisterCheck(check("n1", "c-node", "")));

        h.applyAt(4, new Command.DeregisterService("n1", "web-1"));

        assertThat(h.store.tableIndex(Table.SERVICES)).isEqualTo(4);
        assertThat(h.store.tableIndex(Table.CHECKS)).isEqualTo(3);
    }

    @Test
    void deregisterUnknownServiceIsNoOpSuccess() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));

        Outcome outcome = h.applyAt(2, new Command.DeregisterService("n1", "nope"));

        assertThat(outcome.success()).isTrue();
        assertThat(h.store.tableIndex(Table.SERVICES)).isEqualTo(1);
    }

    @Test
    void deregisterCheckRemovesOnlyThatCheck() {
        h.apply(new Command.RegisterNode(node("n1")));
        h.apply(new Command.RegisterCheck(check("n1", "a", "")));
        h.apply(new Command.RegisterCheck(check("n1", "b", "")));

        h.applyAt(10, new Command.DeregisterCheck("n1", "a"));

        assertThat(checkIds(h.store.checks().value())).containsExactly("n1/b");
        assertThat(h.store.checks().index()).isEqualTo(10);
    }

    @Test
    void deregisterNodeRemovesItsServicesChecksAndSessionsOnly() {
        h.apply(new Command.RegisterNode(node("n1")));
        h.apply(new Command.RegisterNode(node("n2")));
        h.apply(new Command.RegisterService(service("n1", "web-1", "web")));
        h.apply(new Command.RegisterService(service("n2", "web-2", "web")));
        h.apply(new Command.RegisterCheck(check("n1", "c1", "web-1")));
        h.apply(new Command.RegisterCheck(check("n1", "serfHealth", "")));
        h.apply(new Command.RegisterCheck(check("n2", "c2", "web-2")));
        h.apply(new Command.CreateSession(session("s-n1a", "n1", SessionBehavior.RELEASE)));
        h.apply(new Command.CreateSession(session("s-n1b", "n1", SessionBehavior.DELETE)));
        h.apply(new Command.CreateSession(session("s-n2", "n2", SessionBehavior.RELEASE)));

        Outcome outcome = h.apply(new Command.DeregisterNode("n1"));

        assertThat(outcome.success()).isTrue();
        assertThat(h.store.node("n1")).isNull();
        assertThat(h.store.nodes().value()).extracting(Node::name).containsExactly("n2");
        assertThat(serviceIds(h.store.services().value())).containsExactly("n2/web-2");
        assertThat(checkIds(h.store.checks().value())).containsExactly("n2/c2");
        assertThat(h.store.sessions().value()).extracting(Session::id).containsExactly("s-n2");
        assertThat(h.store.session("s-n1a")).isNull();
    }

    @Test
    void deregisterUnknownNodeIsNoOpSuccess() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));

        Outcome outcome = h.applyAt(2, new Command.DeregisterNode("nope"));

        assertThat(outcome.success()).isTrue();
        assertThat(h.store.nodes().value()).hasSize(1);
        assertThat(h.store.tableIndex(Table.NODES)).isEqualTo(1);
    }

    @Test
    void reRegisteringNodeAfterDeregisterStartsFresh() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.RegisterService(service("n1", "web-1", "web")));
        h.applyAt(3, new Command.DeregisterNode("n1"));
        h.applyAt(4, new Command.RegisterNode(node("n1")));

        assertThat(h.store.node("n1").createIndex()).isEqualTo(4);
        assertThat(h.store.services().value()).isEmpty();
    }
    @Test
    void aChecksStatusChangeTimeIsTheEntryTimeOfTheWriteThatChangedItsStatus() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.RegisterCheck(check("n1", "c", "", CheckStatus.CRITICAL)));
        assertThat(h.store.checks().value()).singleElement().extracting(HealthCheck::statusChangedAt)
                .isEqualTo(Fixtures.Harness.timeOf(2));

        HealthCheck sameStatusNewOutput = new HealthCheck("n1", "c", "c", CheckStatus.CRITICAL, "", "refused again",
                "", "", "", 0, 0);
        h.applyAt(5, new Command.RegisterCheck(sameStatusNewOutput));
        HealthCheck afterOutput = h.store.checks().value().get(0);
        assertThat(afterOutput.output()).isEqualTo("refused again");
        assertThat(afterOutput.modifyIndex()).isEqualTo(5);
        assertThat(afterOutput.statusChangedAt()).as("the status did not change").isEqualTo(Fixtures.Harness.timeOf(2));

        h.applyAt(9, new Command.CatalogRegister(node("n1"), null, List.of(check("n1", "c", "", CheckStatus.PASSING))));
        assertThat(h.store.checks().value().get(0).statusChangedAt()).isEqualTo(Fixtures.Harness.timeOf(9));
    }

    @Test
    void aChecksStatusChangeTimeSurvivesASnapshotAndTheTimeInACommandIsIgnored() throws Exception {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        HealthCheck claimingATime = new HealthCheck("n1", "c", "c", CheckStatus.WARNING, "", "", "", "", "", 0, 0,
                12345);
        h.applyAt(3, new Command.RegisterCheck(claimingATime));

        Store restored = new Store();
        restored.restoreSnapshot(new java.io.ByteArrayInputStream(h.snapshot()));

        assertThat(restored.checks().value()).singleElement().extracting(HealthCheck::statusChangedAt)
                .isEqualTo(Fixtures.Harness.timeOf(3));
    }

    @Test
    void aServicesConsulExtrasAreStoredAsGivenAndCountAsAChange() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        ServiceExtras extras = new ServiceExtras("connect-proxy", 10, 2,
                Map.of("wan", new ServiceExtras.ServiceAddress("198.51.100.1", 443)), "/run/web.sock",
                "{\"DestinationServiceName\":\"web\"}", "");
        ServiceInstance plain = service("n1", "web-1", "web", 80);
        ServiceInstance withExtras = new ServiceInstance("n1", "web-1", "web", plain.tags(), "", 80, Map.of(), false,
                extras, 0, 0);
        h.applyAt(2, new Command.RegisterService(plain));

        h.applyAt(3, new Command.RegisterService(withExtras));

        ServiceInstance stored = h.store.services().value().get(0);
        assertThat(stored.extras()).isEqualTo(extras);
        assertThat(stored.modifyIndex()).as("new extras are a change").isEqualTo(3);
        assertThat(plain.extras()).isEqualTo(ServiceExtras.NONE);
    }
}
