package dev.beacon.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.beacon.state.CatalogView;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;
import org.junit.jupiter.api.Test;

class CatalogPagesTest {
    private static Node node(String name, String dc) {
        return new Node(name, "", "10.0.0." + name.length(), dc, Map.of(), Map.of(), 1, 1);
    }

    private static ServiceInstance instance(String node, String id, String service, String address, int port,
                                            String... tags) {
        return new ServiceInstance(node, id, service, List.of(tags), address, port, Map.of(), false, 1, 1);
    }

    private static HealthCheck check(String node, String id, String serviceId, CheckStatus status) {
        return new HealthCheck(node, id, id, status, "", "out", serviceId, "", "ttl", 1, 1);
    }

    private final CatalogView view = new CatalogView(
            List.of(node("a", "dc1"), node("bb", "dc1"), node("ccc", "dc2")),
            List.of(instance("a", "web-1", "web", "", 80, "v1"),
                    instance("bb", "web-2", "web", "10.9.9.9", 81, "v2"),
                    instance("ccc", "db-1", "db", "", 0, "primary")),
            List.of(check("a", "serfHealth", "", CheckStatus.PASSING),
                    check("a", "web-1:http", "web-1", CheckStatus.WARNING),
                    check("bb", "serfHealth", "", CheckStatus.CRITICAL),
                    check("bb", "web-2:http", "web-2", CheckStatus.PASSING)));

    @Test
    void aServiceCountsItsInstancesByTheirWorstCheckIncludingNodeChecks() {
        List<CatalogPages.ServiceRow> rows = CatalogPages.services(view, null, null);

        assertThat(rows).extracting(CatalogPages.ServiceRow::name).containsExactly("db", "web");
        CatalogPages.ServiceRow web = rows.get(1);
        assertThat(web.instances()).isEqualTo(2);
        assertThat(web.tags()).containsExactly("v1", "v2");
        assertThat(web.health()).isEqualTo(new HealthSummary(0, 1, 1));
        assertThat(web.health().overall()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(rows.get(0).health()).isEqualTo(new HealthSummary(1, 0, 0));
    }

    @Test
    void servicesFilterByNameIgnoringCaseAndByTag() {
        assertThat(CatalogPages.services(view, "WE", null)).extracting(CatalogPages.ServiceRow::name)
                .containsExactly("web");
        assertThat(CatalogPages.services(view, null, "primary")).extracting(CatalogPages.ServiceRow::name)
                .containsExactly("db");
        assertThat(CatalogPages.services(view, "web", "primary")).isEmpty();
        assertThat(CatalogPages.services(view, " ", " ")).extracting(CatalogPages.ServiceRow::name)
                .containsExactly("db", "web");
    }

    @Test
    void instancesShowTheNodeAddressWhenTheServiceHasNoneAndSortWorstFirst() {
        List<CatalogPages.InstanceRow> rows = CatalogPages.instances(view);

        assertThat(rows).extracting(r -> r.service().id()).containsExactly("web-2", "web-1", "db-1");
        assertThat(rows.get(0).address()).isEqualTo("10.9.9.9:81");
        assertThat(rows.get(1).address()).isEqualTo("10.0.0.1:80");
        assertThat(rows.get(2).address()).isEqualTo("10.0.0.3");
        assertThat(rows.get(1).checks()).extracting(HealthCheck::checkId)
                .containsExactly("serfHealth", "web-1:http");
    }

    @Test
    void nodesSummariseAllTheirChecksAndFilterByNameOrAddress() {
        List<CatalogPages.NodeRow> rows = CatalogPages.nodes(view, null);

        assertThat(rows).extracting(r -> r.node().name()).containsExactly("a", "bb", "ccc");
        assertThat(rows.get(0).checks()).isEqualTo(new HealthSummary(1, 1, 0));
        assertThat(rows.get(0).status()).isEqualTo(CheckStatus.WARNING);
        assertThat(rows.get(1).status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(rows.get(2).status()).isEqualTo(CheckStatus.PASSING);
        assertThat(rows.get(2).checks().total()).isZero();
        assertThat(rows.get(0).services()).isEqualTo(1);
        assertThat(CatalogPages.nodes(view, "B")).extracting(r -> r.node().name()).containsExactly("bb");
        assertThat(CatalogPages.nodes(view, "10.0.0.3")).extracting(r -> r.node().name())
                .containsExactly("ccc");
    }
}
