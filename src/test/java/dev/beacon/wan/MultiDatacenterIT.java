package dev.beacon.wan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.option.ImmutableQueryOptions;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Two datacenters of three servers each, on their own loopback addresses (dc1 on 127.0.0.1-3, dc2 on
 * 127.0.0.4-6): dc1 joins dc2 over the WAN, and each reads and writes the other's data through {@code ?dc=}. Only
 * dc1's servers are given an address of dc2, one server's; the rest are learned from pings and gossip. The last
 * tests stop dc2's servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiDatacenterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestCluster dc1;
    private TestCluster dc2;
    /** The servers the tests talk to: the first of each datacenter. */
    private BeaconNode east;
    private BeaconNode west;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        dc2 = TestCluster.datacenter(dir, "dc2", "west", List.of("127.0.0.4", "127.0.0.5", "127.0.0.6"));
        dc1 = TestCluster.datacenter(dir, "dc1", "east", List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"));
        dc1.nodes().forEach(node -> node.with("beacon.retry-join-wan", "127.0.0.4:" + dc2.wanPort()));
        dc2.startAll();
        dc1.startAll();
        dc2.awaitLeader();
        dc1.awaitLeader();
        east = dc1.node(0);
        west = dc2.node(0);
        await().atMost(WAIT).untilAsserted(() -> {
            for (BeaconNode server : List.of(east, west)) {
                JsonNode members = json(server.get("/v1/agent/members?wan=1"));
                assertThat(members.findValues("Status")).as("every server of both, alive").hasSize(6)
                        .allMatch(status -> status.asInt() == 1);
            }
        });
    }

    @AfterAll
    void stop() {
        if (dc1 != null) {
            dc1.close();
        }
        if (dc2 != null) {
            dc2.close();
        }
    }

    @Test
    @Order(1)
    void eachServerListsItsOwnDatacenterFirstAndTheOtherServersOfTheWan() throws Exception {
        assertThat(json(east.get("/v1/catalog/datacenters")).toString()).isEqualTo("[\"dc1\",\"dc2\"]");
        assertThat(json(west.get("/v1/catalog/datacenters")).toString()).isEqualTo("[\"dc2\",\"dc1\"]");

        JsonNode wan = json(east.get("/v1/agent/members?wan=1"));
        assertThat(wan.findValuesAsText("Name")).containsExactlyInAnyOrder("east1.dc1", "east2.dc1", "east3.dc1",
                "west1.dc2", "west2.dc2", "west3.dc2");
        assertThat(wan).filteredOn(m -> m.get("Name").asText().equals("west2.dc2")).singleElement()
                .satisfies(m -> {
                    assertThat(m.at("/Tags/dc").asText()).isEqualTo("dc2");
                    assertThat(m.get("Addr").asText()).as("learned by gossip").isEqualTo("127.0.0.5");
                });
        assertThat(json(east.get("/v1/agent/members")).findValuesAsText("Name")).as("the LAN members")
                .containsExactlyInAnyOrder("east1", "east2", "east3");
    }

    @Test
    @Order(2)
    void keysAreWrittenAndReadInTheDatacenterNamedWithItsIndexHeaders() throws Exception {
        assertThat(east.send("PUT", "/v1/kv/region?dc=dc2", "", "west").body()).isEqualTo("true");

        HttpResponse<String> local = west.get("/v1/kv/region?raw");
        assertThat(local.body()).isEqualTo("west");
        assertThat(east.get("/v1/kv/region").statusCode()).as("KV is per datacenter").isEqualTo(404);

        HttpResponse<String> remote = east.get("/v1/kv/region?dc=dc2&raw");
        assertThat(remote.statusCode()).isEqualTo(200);
        assertThat(remote.body()).isEqualTo("west");
        assertThat(remote.headers().firstValue("X-Consul-Index"))
                .isEqualTo(local.headers().firstValue("X-Consul-Index"));
        assertThat(remote.headers().firstValue("X-Consul-KnownLeader")).hasValue("true");

        HttpResponse<String> missing = east.get("/v1/kv/nowhere?dc=dc2");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("X-Consul-Index")).isPresent();

        // Written through dc2's leader, whichever of its servers took it: every one of them applies it.
        for (BeaconNode server : dc2.nodes()) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(server.store().kvGet("region").value())
                    .as(server.name()).isNotNull());
        }
        assertThat(dc1.nodes()).allSatisfy(server -> assertThat(server.store().kvGet("region").value())
                .as(server.name()).isNull());
    }

    @Test
    @Order(3)
    void aBlockingQueryForAnotherDatacenterBlocksThereUntilItsDataChanges() throws Exception {
        west.send("PUT", "/v1/kv/watched", "", "before");
        long index = Long.parseLong(east.get("/v1/kv/watched?dc=dc2").headers().firstValue("X-Consul-Index")
                .orElseThrow());
        CompletableFuture<HttpResponse<String>> parked = http.sendAsync(HttpRequest.newBuilder(
                        east.uri("/v1/kv/watched?dc=dc2&raw&wait=60s&index=" + index)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        // A write to another key of dc2 does not wake it; a write to its key does.
        west.send("PUT", "/v1/kv/other", "", "x");
        assertThat(parked).isNotDone();
        west.send("PUT", "/v1/kv/watched", "", "after");

        HttpResponse<String> woken = parked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(woken.body()).isEqualTo("after");
        assertThat(Long.parseLong(woken.headers().firstValue("X-Consul-Index").orElseThrow())).isGreaterThan(index);
    }

    @Test
    @Order(4)
    void servicesOfAnotherDatacenterAreFoundThroughConsulClientsDatacenterOption() throws Exception {
        String registration = """
                {"Node":"db-host","Address":"10.0.2.7","Service":{"Service":"db","Port":5432,"Tags":["primary"]}}""";
        assertThat(east.send("PUT", "/v1/catalog/register?dc=dc2", "", registration).statusCode()).isEqualTo(200);
        assertThat(json(west.get("/v1/catalog/service/db")).findValuesAsText("Node")).containsExactly("db-host");
        assertThat(json(east.get("/v1/catalog/service/db"))).as("registered in dc2 only").isEmpty();

        Consul consul = Consul.builder().withUrl("http://127.0.0.1:" + east.httpPort()).build();
        try {
            List<ServiceHealth> instances = consul.healthClient().getAllServiceInstances("db",
                    ImmutableQueryOptions.builder().datacenter("dc2").build()).getResponse();
            assertThat(instances).singleElement().satisfies(instance -> {
                assertThat(instance.getNode().getNode()).isEqualTo("db-host");
                assertThat(instance.getNode().getDatacenter()).hasValue("dc2");
                assertThat(instance.getService().getPort()).isEqualTo(5432);
            });
            assertThat(consul.catalogClient().getDatacenters()).containsExactly("dc1", "dc2");
        } finally {
            consul.destroy();
        }
    }

    @Test
    @Order(5)
    void agentEndpointsStayLocalAndTheOtherDatacentersOwnAnswersAreRelayed() throws Exception {
        HttpResponse<String> self = east.get("/v1/agent/self?dc=dc2");
        assertThat(json(self).at("/Config/Datacenter").asText()).as("Consul ignores ?dc= on the agent")
                .isEqualTo("dc1");
        BeaconNode leader = dc2.awaitLeader();
        assertThat(json(east.get("/v1/status/leader?dc=dc2")).asText()).as("dc2's leader, on its Raft port")
                .isEqualTo(leader.property("beacon.bind-address") + ":" + leader.raftPort());
        HttpResponse<String> bad = east.send("PUT", "/v1/kv/bad?dc=dc2&cas=x", "", "v");
        assertThat(bad.statusCode()).as("dc2's own 400, relayed").isEqualTo(400);
        assertThat(bad.body()).contains("cas");
    }

    @Test
    @Order(6)
    void anUnknownDatacenterHasNoPath() {
        HttpResponse<String> answer = east.get("/v1/kv/region?dc=dc9");
        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.body()).isEqualTo("No path to datacenter\n");
    }

    @Test
    @Order(7)
    void coordinatesPlaceEveryServerOfEveryDatacenter() throws Exception {
        JsonNode areas = json(east.get("/v1/coordinate/datacenters"));
        assertThat(areas.findValuesAsText("Datacenter")).containsExactly("dc1", "dc2");
        assertThat(areas.get(1).get("AreaID").asText()).isEqualTo("wan");
        assertThat(areas.get(1).get("Coordinates").findValuesAsText("Node"))
                .containsExactlyInAnyOrder("west1.dc2", "west2.dc2", "west3.dc2");
        assertThat(areas.get(1).at("/Coordinates/0/Coord/Height").asDouble()).isPositive();
        assertThat(areas.get(1).at("/Coordinates/0/Coord/Vec").size()).isEqualTo(8);

        HttpResponse<String> nodes = east.get("/v1/coordinate/nodes");
        assertThat(json(nodes).findValuesAsText("Node")).containsExactlyInAnyOrder("east1", "east2", "east3");
        assertThat(nodes.headers().firstValue("X-Consul-Index")).isPresent();
        assertThat(json(east.get("/v1/coordinate/nodes?dc=dc2")).findValuesAsText("Node"))
                .containsExactlyInAnyOrder("west1", "west2", "west3");
        assertThat(east.get("/v1/coordinate/node/east1").statusCode()).isEqualTo(200);

        long index = Long.parseLong(nodes.headers().firstValue("X-Consul-Index").orElseThrow());
        CompletableFuture<HttpResponse<String>> parked = http.sendAsync(HttpRequest.newBuilder(
                        east.uri("/v1/coordinate/nodes?wait=60s&index=" + index)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(east.send("PUT", "/v1/catalog/register", "", "{\"Node\":\"no-agent\",\"Address\":\"10.0.1.9\"}")
                .body()).isEqualTo("true");
        HttpResponse<String> woken = parked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(Long.parseLong(woken.headers().firstValue("X-Consul-Index").orElseThrow()))
                .as("a blocking query wakes when a node comes").isGreaterThan(index);
        assertThat(json(woken).findValuesAsText("Node")).as("a node with no agent has no coordinate")
                .containsExactlyInAnyOrder("east1", "east2", "east3");
        assertThat(east.get("/v1/coordinate/node/db-host?dc=dc2").statusCode()).as("no agent, no coordinate")
                .isEqualTo(404);
    }

    @Test
    @Order(8)
    void dnsAnswersForAnotherDatacenterFromItsCatalogOverUdpAndTcp() throws Exception {
        for (boolean tcp : new boolean[] {false, true}) {
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", east.dnsPort()));
            resolver.setTimeout(Duration.ofSeconds(10));
            resolver.setTCP(tcp);

            Message service = resolver.send(query("db.service.dc2.consul.", Type.A));
            assertThat(service.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(service.getSection(Section.ANSWER)).singleElement()
                    .satisfies(a -> assertThat(a.rdataToString()).isEqualTo("10.0.2.7"));

            Message srv = resolver.send(query("primary.db.service.dc2.consul.", Type.SRV));
            assertThat(srv.getSection(Section.ANSWER)).singleElement()
                    .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("1 1 5432 db-host.node.dc2.consul."));

            Message node = resolver.send(query("west1.node.dc2.consul.", Type.A));
            assertThat(node.getSection(Section.ANSWER)).singleElement()
                    .satisfies(a -> assertThat(a.rdataToString()).isEqualTo("127.0.0.4"));
            assertThat(resolver.send(query("db.service.consul.", Type.A)).getRcode()).as("not in dc1")
                    .isEqualTo(Rcode.NXDOMAIN);
            assertThat(resolver.send(query("db.service.dc9.consul.", Type.A)).getRcode()).as("no such datacenter")
                    .isEqualTo(Rcode.NXDOMAIN);
        }
    }

    @Test
    @Order(9)
    void aPreparedQueryFailsOverToTheNextDatacenterWhileNoLocalInstanceIsHealthyAndComesBack() throws Exception {
        registerApi(east, "api-east", "10.0.1.5", "critical");
        registerApi(west, "api-west", "10.0.2.5", "passing");
        HttpResponse<String> created = east.send("POST", "/v1/query", "",
                "{\"Name\":\"api-failover\",\"Service\":{\"Service\":\"api\",\"Failover\":{\"NearestN\":1}}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        east.send("POST", "/v1/query", "", "{\"Name\":\"api-listed\",\"Service\":{\"Service\":\"api\","
                + "\"Failover\":{\"Datacenters\":[\"dc9\",\"dc2\"]}}}");

        for (String name : List.of("api-failover", "api-listed")) {
            JsonNode remote = json(east.get("/v1/query/" + name + "/execute"));
            assertThat(remote.get("Datacenter").asText()).as(name).isEqualTo("dc2");
            assertThat(remote.get("Failovers").asInt()).as(name).isEqualTo(1);
            assertThat(remote.at("/Nodes/0/Node/Node").asText()).as(name).isEqualTo("api-west");
            assertThat(remote.get("Nodes")).hasSize(1);
        }
        // DNS answers from this server's replica (stale allowed, as Consul's DNS): it follows within moments.
        await().atMost(WAIT).untilAsserted(() -> assertThat(dns().send(query("api-failover.query.consul.", Type.SRV))
                .getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("1 1 80 api-west.node.dc2.consul.")));

        registerApi(east, "api-east", "10.0.1.5", "passing");
        JsonNode local = json(east.get("/v1/query/api-failover/execute"));
        assertThat(local.get("Datacenter").asText()).isEqualTo("dc1");
        assertThat(local.get("Failovers").asInt()).isZero();
        assertThat(local.at("/Nodes/0/Node/Node").asText()).isEqualTo("api-east");
        await().atMost(WAIT).untilAsserted(() -> assertThat(dns().send(query("api-failover.query.consul.", Type.A))
                .getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("10.0.1.5")));
    }

    @Test
    @Order(10)
    void theUisDatacenterSelectorShowsAnotherDatacentersServicesAndNodesAndItsLinksStayThere() {
        HttpResponse<String> services = east.get("/ui/services?dc=dc2");
        assertThat(services.statusCode()).isEqualTo(200);
        assertThat(services.body()).contains("id=\"dc-select\"", "<option value=\"dc2\" selected=\"selected\"",
                "data-service=\"db\"", "href=\"/ui/services/db?dc=dc2\"", "href=\"/ui/nodes?dc=dc2\"");
        assertThat(east.get("/ui/services").body()).as("this datacenter").doesNotContain("data-service=\"db\"");

        HttpResponse<String> service = east.get("/ui/services/db?dc=dc2");
        assertThat(service.statusCode()).isEqualTo(200);
        assertThat(service.body()).contains("db-host", "10.0.2.7", "href=\"/ui/nodes/db-host?dc=dc2\"");
        assertThat(east.get("/ui/nodes?dc=dc2").body()).contains("data-node=\"west1\"", "data-node=\"west3\"",
                        "data-node=\"db-host\"")
                .doesNotContain("data-node=\"east1\"");
        assertThat(east.get("/ui/nodes/west1?dc=dc2").body()).contains("127.0.0.4");
        assertThat(east.get("/ui/services?dc=dc9").statusCode()).isEqualTo(503);

        HttpResponse<String> keys = east.get("/ui/kv/?dc=dc2");
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.body()).contains("data-key=\"region\"", "href=\"/ui/kv/region?dc=dc2\"",
                "The keys of datacenter dc2", "Create a key", "action=\"/ui/kv/?dc=dc2\"");
        assertThat(east.get("/ui/kv/").body()).as("this datacenter's keys").doesNotContain("data-key=\"region\"");
        HttpResponse<String> key = east.get("/ui/kv/region?dc=dc2");
        assertThat(key.statusCode()).isEqualTo(200);
        assertThat(key.body()).contains("west", "name=\"action\" value=\"save\"", "action=\"/ui/kv/region?dc=dc2\"",
                "href=\"/ui/kv/region?dc=dc2&amp;delete\"");
    }

    @Test
    @Order(11)
    void anotherDatacentersKeysAreCreatedEditedAndDeletedFromThisUi() throws Exception {
        HttpResponse<String> created = form("/ui/kv/team/?dc=dc2", "action", "create", "name", "owner",
                "value", "ops", "flags", "3");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        assertThat(created.headers().firstValue("Location")).hasValue("/ui/kv/team/owner?done=created&dc=dc2");
        assertThat(west.get("/v1/kv/team/owner?raw").body()).isEqualTo("ops");
        assertThat(east.get("/v1/kv/team/owner").statusCode()).as("written in dc2 only").isEqualTo(404);
        assertThat(east.get("/ui/kv/team/owner?done=created&dc=dc2").body()).as("the page after the write shows it")
                .contains("Created.", "ops", "<dd>3</dd>");
        long index = json(west.get("/v1/kv/team/owner")).get(0).get("ModifyIndex").asLong();

        HttpResponse<String> stale = form("/ui/kv/team/owner?dc=dc2", "action", "save", "value", "mine",
                "flags", "3", "index", Long.toString(index - 1));
        assertThat(stale.statusCode()).as("a stale edit is refused there").isEqualTo(409);
        assertThat(stale.body()).contains("someone else changed this key", "mine");
        assertThat(west.get("/v1/kv/team/owner?raw").body()).isEqualTo("ops");
        HttpResponse<String> taken = form("/ui/kv/team/?dc=dc2", "action", "create", "name", "owner", "value", "x");
        assertThat(taken.statusCode()).as("creating a key that exists there").isEqualTo(409);

        HttpResponse<String> saved = form("/ui/kv/team/owner?dc=dc2", "action", "save", "value", "dev",
                "flags", "3", "index", Long.toString(index));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(saved.headers().firstValue("Location")).hasValue("/ui/kv/team/owner?done=saved&dc=dc2");
        assertThat(west.get("/v1/kv/team/owner?raw").body()).isEqualTo("dev");

        HttpResponse<String> confirm = east.get("/ui/kv/team/owner?delete&dc=dc2");
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("action=\"/ui/kv/team/owner?dc=dc2\"");
        long saveIndex = json(west.get("/v1/kv/team/owner")).get(0).get("ModifyIndex").asLong();
        HttpResponse<String> deleted = form("/ui/kv/team/owner?dc=dc2", "action", "delete",
                "index", Long.toString(saveIndex));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(303);
        assertThat(deleted.headers().firstValue("Location")).hasValue("/ui/kv/team/?done=deleted&dc=dc2");
        assertThat(west.get("/v1/kv/team/owner").statusCode()).isEqualTo(404);

        west.send("PUT", "/v1/kv/team/a", "", "1");
        west.send("PUT", "/v1/kv/team/b", "", "2");
        assertThat(form("/ui/kv/team/?dc=dc2", "action", "delete-folder").statusCode()).isEqualTo(303);
        assertThat(west.get("/v1/kv/team/?recurse").statusCode()).as("the folder is gone there").isEqualTo(404);
    }

    /** A form post to {@code east} as a browser on its own page sends it; {@code fields}: names and values. */
    private HttpResponse<String> form(String path, String... fields) {
        String body = IntStream.range(0, fields.length / 2)
                .mapToObj(i -> fields[2 * i] + "=" + URLEncoder.encode(fields[2 * i + 1], StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return east.send(HttpRequest.newBuilder(east.uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://127.0.0.1:" + east.httpPort())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private void registerApi(BeaconNode server, String host, String address, String status) {
        String body = "{\"Node\":\"" + host + "\",\"Address\":\"" + address + "\",\"Service\":{\"ID\":\"api\","
                + "\"Service\":\"api\",\"Port\":80},\"Check\":{\"CheckID\":\"api-check\",\"Name\":\"api\","
                + "\"ServiceID\":\"api\",\"Status\":\"" + status + "\"}}";
        assertThat(server.send("PUT", "/v1/catalog/register", "", body).body()).isEqualTo("true");
    }

    private SimpleResolver dns() {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", east.dnsPort()));
        resolver.setTimeout(Duration.ofSeconds(10));
        return resolver;
    }

    private static Message query(String name, int type) throws TextParseException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    @Test
    @Order(100)
    void aDatacenterWhoseServersAreDownGivesAClearErrorInBoundedTimeAndComesBack() throws Exception {
        dc2.node(1).stop();
        dc2.node(2).stop();
        for (int i = 0; i < 3; i++) {
            assertThat(east.get("/v1/kv/region?dc=dc2&stale&raw").body())
                    .as("a server that refuses the connection is skipped for the next").isEqualTo("west");
        }
        west.stop();
        HttpResponse<String> down = east.get("/v1/kv/region?dc=dc2");
        assertThat(down.statusCode()).isEqualTo(500);
        assertThat(down.body()).satisfiesAnyOf(
                body -> assertThat(body).isEqualTo("No path to datacenter\n"),
                body -> assertThat(body).isEqualTo("rpc error making call: no server of datacenter dc2 could be "
                        + "reached\n"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(json(east.get("/v1/agent/members?wan=1")))
                .filteredOn(m -> m.at("/Tags/dc").asText().equals("dc2")).hasSize(3)
                .allSatisfy(m -> assertThat(m.get("Status").asInt()).as("failed").isEqualTo(4)));
        assertThat(east.get("/v1/kv/region?dc=dc2").body()).isEqualTo("No path to datacenter\n");
        HttpResponse<String> edit = form("/ui/kv/region?dc=dc2", "action", "save", "value", "typed while away",
                "index", "1");
        assertThat(edit.statusCode()).as("a UI edit of its keys").isEqualTo(503);
        assertThat(edit.body()).contains("can be reached, so nothing was written", "typed while away")
                .doesNotContain("deleted by");
        SimpleResolver dns = new SimpleResolver(new InetSocketAddress("127.0.0.1", east.dnsPort()));
        dns.setTimeout(Duration.ofSeconds(10));
        assertThat(dns.send(query("db.service.dc2.consul.", Type.A)).getRcode()).as("known but unreachable")
                .isEqualTo(Rcode.SERVFAIL);
        assertThat(json(east.get("/v1/catalog/datacenters")).toString()).as("still known")
                .isEqualTo("[\"dc1\",\"dc2\"]");

        dc2.startAll();
        dc2.awaitLeader();
        await().atMost(WAIT).untilAsserted(() -> assertThat(east.get("/v1/kv/region?dc=dc2&raw").body())
                .isEqualTo("west"));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
