package dev.beacon.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Consul's prepared queries on one server, over real HTTP and DNS: create, list, read, update, delete, the refusals,
 * execution with health, tags and limits, templates and explain, a query bound to a session, DNS lookups.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreparedQueryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private BeaconNode node;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        node = new BeaconNode("pq", "127.0.0.1", TestCluster.freePort(), List.of(), dir).start();
        node.cluster().whenReady().get(90, TimeUnit.SECONDS);
        register("web-a", "10.0.0.1", "web", "passing", "v2", "primary");
        register("web-b", "10.0.0.2", "web", "warning", "v2");
        register("web-c", "10.0.0.3", "web", "critical", "v2", "primary");
        register("geo-db-eu", "10.0.1.1", "db-eu", "passing", "v1");
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private void register(String host, String address, String service, String status, String... tags)
            throws Exception {
        String body = "{\"Node\":\"" + host + "\",\"Address\":\"" + address + "\",\"Service\":{\"ID\":\"" + service
                + "-" + host + "\",\"Service\":\"" + service + "\",\"Port\":80,\"Tags\":" + JSON.writeValueAsString(tags)
                + "},\"Check\":{\"CheckID\":\"c-" + host + "\",\"Name\":\"c\",\"ServiceID\":\"" + service + "-" + host
                + "\",\"Status\":\"" + status + "\"}}";
        assertThat(node.send("PUT", "/v1/catalog/register", "", body).body()).isEqualTo("true");
    }

    private String create(String body) throws Exception {
        HttpResponse<String> created = node.send("POST", "/v1/query", "", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return JSON.readTree(created.body()).get("ID").asText();
    }

    private JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private List<String> nodesOf(JsonNode executed) {
        List<String> nodes = new java.util.ArrayList<>();
        executed.get("Nodes").forEach(entry -> nodes.add(entry.at("/Node/Node").asText()));
        return nodes.stream().sorted().toList();
    }

    @Test
    void aQueryIsCreatedListedReadUpdatedAndDeleted() throws Exception {
        String id = create("{\"Name\":\"crud\",\"Service\":{\"Service\":\"web\",\"Tags\":[\"primary\"]},"
                + "\"DNS\":{\"TTL\":\"10s\"}}");

        JsonNode read = json(node.get("/v1/query/" + id));
        assertThat(read).hasSize(1);
        assertThat(read.get(0).get("Name").asText()).isEqualTo("crud");
        assertThat(read.at("/0/Service/Tags/0").asText()).isEqualTo("primary");
        assertThat(read.at("/0/DNS/TTL").asText()).isEqualTo("10s");
        assertThat(read.at("/0/Service/Failover/NearestN").asInt()).isZero();
        long created = read.get(0).get("CreateIndex").asLong();
        assertThat(json(node.get("/v1/query")).findValuesAsText("ID")).contains(id);

        HttpResponse<String> updated = node.send("PUT", "/v1/query/" + id, "",
                "{\"Name\":\"crud\",\"Service\":{\"Service\":\"web\",\"OnlyPassing\":true}}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        JsonNode after = json(node.get("/v1/query/" + id)).get(0);
        assertThat(after.at("/Service/OnlyPassing").asBoolean()).isTrue();
        assertThat(after.get("CreateIndex").asLong()).isEqualTo(created);
        assertThat(after.get("ModifyIndex").asLong()).isGreaterThan(created);

        assertThat(node.send("DELETE", "/v1/query/" + id, "", "").statusCode()).isEqualTo(200);
        assertThat(node.get("/v1/query/" + id).statusCode()).isEqualTo(404);
        HttpResponse<String> again = node.send("DELETE", "/v1/query/" + id, "", "");
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).startsWith("Cannot modify non-existent prepared query");
    }

    @Test
    void badDefinitionsAreRefusedWithConsulsMessagesAndStoreNothing() throws Exception {
        int before = json(node.get("/v1/query")).size();
        assertThat(node.send("POST", "/v1/query", "", "{\"Name\":\"x\"}").body())
                .isEqualTo("Must provide a Service name to query\n");
        assertThat(node.send("POST", "/v1/query", "", "{\"Service\":{\"Service\":\"web\"},\"DNS\":{\"TTL\":\"ten\"}}")
                .statusCode()).isEqualTo(400);
        assertThat(node.send("POST", "/v1/query", "", "{\"Service\":{\"Service\":\"web\","
                + "\"Failover\":{\"NearestN\":-1}}}").body()).isEqualTo("Bad NearestN '-1', must be >= 0\n");
        assertThat(node.send("POST", "/v1/query", "", "{\"Service\":{\"Service\":\"web\"},"
                + "\"Template\":{\"Type\":\"name_prefix_match\",\"Regexp\":\"(\"}}").statusCode()).isEqualTo(400);
        assertThat(node.send("POST", "/v1/query", "", "{not json").statusCode()).isEqualTo(400);
        create("{\"Name\":\"taken\",\"Service\":{\"Service\":\"web\"}}");
        assertThat(node.send("POST", "/v1/query", "", "{\"Name\":\"taken\",\"Service\":{\"Service\":\"db\"}}").body())
                .isEqualTo("name \"taken\" aliases an existing query name\n");
        assertThat(node.send("PUT", "/v1/query/8e4a6f8e-0000-0000-0000-000000000000", "",
                "{\"Service\":{\"Service\":\"web\"}}").body())
                .isEqualTo("Cannot modify non-existent prepared query: '8e4a6f8e-0000-0000-0000-000000000000'\n");
        assertThat(json(node.get("/v1/query")).size()).isEqualTo(before + 1);
    }

    @Test
    void executionSkipsCriticalInstancesAndAppliesOnlyPassingTagsAndLimit() throws Exception {
        String any = create("{\"Name\":\"web-any\",\"Service\":{\"Service\":\"web\"}}");
        String passing = create("{\"Name\":\"web-passing\",\"Service\":{\"Service\":\"web\",\"OnlyPassing\":true}}");
        create("{\"Name\":\"web-not-primary\",\"Service\":{\"Service\":\"web\",\"Tags\":[\"!primary\"]}}");

        JsonNode executed = json(node.get("/v1/query/" + any + "/execute"));
        assertThat(nodesOf(executed)).containsExactly("web-a", "web-b");
        assertThat(executed.get("Datacenter").asText()).isEqualTo("dc1");
        assertThat(executed.get("Failovers").asInt()).isZero();
        assertThat(executed.get("Service").asText()).isEqualTo("web");
        assertThat(nodesOf(json(node.get("/v1/query/web-passing/execute")))).containsExactly("web-a");
        assertThat(nodesOf(json(node.get("/v1/query/" + passing + "/execute")))).containsExactly("web-a");
        assertThat(nodesOf(json(node.get("/v1/query/web-not-primary/execute")))).containsExactly("web-b");
        assertThat(json(node.get("/v1/query/web-any/execute?limit=1")).get("Nodes")).hasSize(1);
        assertThat(node.get("/v1/query/nothing-like-it/execute").statusCode()).isEqualTo(404);
    }

    @Test
    void aTemplateServesEveryNameItsPrefixMatchesAndExplainShowsItFilledIn() throws Exception {
        create("{\"Name\":\"geo-\",\"Template\":{\"Type\":\"name_prefix_match\",\"Regexp\":\"^geo-(.+)-(eu|us)$\"},"
                + "\"Service\":{\"Service\":\"${match(1)}-${match(2)}\",\"Tags\":[\"${name.suffix}\",\"\"]}}");

        JsonNode explained = json(node.get("/v1/query/geo-db-eu/explain"));
        assertThat(explained.at("/Query/Service/Service").asText()).isEqualTo("db-eu");
        assertThat(explained.at("/Query/Service/Tags/0").asText()).isEqualTo("db-eu");
        assertThat(explained.at("/Query/Name").asText()).isEqualTo("geo-");
        JsonNode executed = json(node.get("/v1/query/geo-db-eu/execute"));
        assertThat(executed.get("Service").asText()).isEqualTo("db-eu");
    }

    @Test
    void aQueryBoundToASessionIsDeletedWithIt() throws Exception {
        String session = JSON.readTree(node.send("PUT", "/v1/session/create", "", "{\"Name\":\"pq\"}").body())
                .get("ID").asText();
        String id = create("{\"Name\":\"bound\",\"Session\":\"" + session + "\",\"Service\":{\"Service\":\"web\"}}");
        assertThat(node.get("/v1/query/" + id).statusCode()).isEqualTo(200);

        node.send("PUT", "/v1/session/destroy/" + session, "", "");

        await().atMost(Duration.ofSeconds(10)).until(() -> node.get("/v1/query/" + id).statusCode() == 404);
        assertThat(node.send("POST", "/v1/query", "", "{\"Session\":\"" + session + "\",\"Service\":{\"Service\":"
                + "\"web\"}}").body()).isEqualTo("invalid session \"" + session + "\"\n");
    }

    @Test
    void dnsAnswersAQueryByNameOverUdpAndTcp() throws Exception {
        create("{\"Name\":\"web-dns\",\"Service\":{\"Service\":\"web\",\"OnlyPassing\":true},\"DNS\":{\"TTL\":\"7s\"}}");
        for (boolean tcp : new boolean[] {false, true}) {
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", node.dnsPort()));
            resolver.setTimeout(Duration.ofSeconds(10));
            resolver.setTCP(tcp);
            Message a = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("web-dns.query.consul."),
                    Type.A, DClass.IN)));
            assertThat(a.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
                assertThat(r.rdataToString()).isEqualTo("10.0.0.1");
                assertThat(r.getTTL()).isEqualTo(7);
            });
            Message srv = resolver.send(Message.newQuery(Record.newRecord(
                    Name.fromString("web-dns.query.consul."), Type.SRV, DClass.IN)));
            assertThat(srv.getSection(Section.ANSWER)).singleElement()
                    .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("1 1 80 web-a.node.dc1.consul."));
            Message unknown = resolver.send(Message.newQuery(Record.newRecord(
                    Name.fromString("no-such-query.query.consul."), Type.A, DClass.IN)));
            assertThat(unknown.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        }
    }
}
