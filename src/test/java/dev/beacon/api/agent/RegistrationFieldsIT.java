package dev.beacon.api.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Consul's registration fields beyond the common ones, kept and given back as registered (Kind, Weights, service
 * TaggedAddresses, SocketPath, Proxy, Connect) through the agent and catalog endpoints, Weights as DNS SRV
 * weights, EnableTagOverride honoured by anti-entropy, and script checks refused as Consul refuses them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrationFieldsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private BeaconNode node;

    @BeforeAll
    void start(@TempDir Path dir) {
        node = new BeaconNode("fields", "127.0.0.1", TestCluster.freePort(), List.of(), dir)
                .with("beacon.agent.sync-interval", "1s").start();
        node.cluster().whenReady().join();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void anAgentRegistrationKeepsConsulsExtraFieldsEverywhereItIsRead() throws Exception {
        String body = "{\"ID\":\"sidecar-1\",\"Name\":\"web-sidecar\",\"Kind\":\"connect-proxy\",\"Port\":21000,"
                + "\"Weights\":{\"Passing\":7,\"Warning\":2},"
                + "\"TaggedAddresses\":{\"wan\":{\"Address\":\"198.51.100.7\",\"Port\":443}},"
                + "\"SocketPath\":\"/run/web.sock\","
                + "\"Proxy\":{\"DestinationServiceName\":\"web\",\"LocalServicePort\":8080},"
                + "\"Connect\":{\"Native\":false}}";
        assertThat(put("/v1/agent/service/register", body).statusCode()).isEqualTo(200);

        JsonNode agentView = json(node.get("/v1/agent/service/sidecar-1"));
        assertThat(agentView.get("Kind").asText()).isEqualTo("connect-proxy");
        assertThat(agentView.at("/Weights/Passing").asInt()).isEqualTo(7);
        assertThat(agentView.at("/TaggedAddresses/wan/Address").asText()).isEqualTo("198.51.100.7");
        assertThat(agentView.get("SocketPath").asText()).isEqualTo("/run/web.sock");
        assertThat(agentView.at("/Proxy/LocalServicePort").asInt()).isEqualTo(8080);
        assertThat(agentView.at("/Connect/Native").asBoolean()).isFalse();
        assertThat(json(node.get("/v1/agent/services")).at("/sidecar-1/Weights/Warning").asInt()).isEqualTo(2);

        JsonNode row = json(node.get("/v1/catalog/service/web-sidecar")).get(0);
        assertThat(row.get("ServiceKind").asText()).isEqualTo("connect-proxy");
        assertThat(row.at("/ServiceWeights/Passing").asInt()).isEqualTo(7);
        assertThat(row.at("/ServiceTaggedAddresses/wan/Port").asInt()).isEqualTo(443);
        assertThat(row.at("/ServiceProxy/DestinationServiceName").asText()).isEqualTo("web");
        JsonNode health = json(node.get("/v1/health/service/web-sidecar")).get(0).get("Service");
        assertThat(health.at("/Weights/Passing").asInt()).isEqualTo(7);
        assertThat(health.get("SocketPath").asText()).isEqualTo("/run/web.sock");
    }

    @Test
    void aServiceWithoutWeightsShowsConsulsDefaultsAndNoEmptyExtras() throws Exception {
        assertThat(put("/v1/agent/service/register", "{\"ID\":\"plain-1\",\"Name\":\"plain\",\"Port\":80}")
                .statusCode()).isEqualTo(200);

        JsonNode view = json(node.get("/v1/agent/service/plain-1"));
        assertThat(view.at("/Weights/Passing").asInt()).isEqualTo(1);
        assertThat(view.at("/Weights/Warning").asInt()).isEqualTo(1);
        assertThat(view.has("Proxy")).isFalse();
        assertThat(view.has("Kind")).isFalse();
        assertThat(view.has("TaggedAddresses")).isFalse();
    }

    @Test
    void aCatalogRegistrationKeepsTheExtrasAndDnsUsesTheWeights() throws Exception {
        String body = "{\"Node\":\"ext\",\"Address\":\"10.3.0.1\",\"Service\":{\"ID\":\"heavy-1\","
                + "\"Service\":\"weighted\",\"Port\":9000,\"Weights\":{\"Passing\":40,\"Warning\":5}},"
                + "\"Check\":{\"CheckID\":\"heavy-1:c\",\"ServiceID\":\"heavy-1\",\"Status\":\"passing\"}}";
        assertThat(put("/v1/catalog/register", body).body()).isEqualTo("true");
        assertThat(json(node.get("/v1/catalog/service/weighted")).get(0).at("/ServiceWeights/Passing").asInt())
                .isEqualTo(40);

        SimpleResolver dns = new SimpleResolver(new InetSocketAddress("127.0.0.1", node.dnsPort()));
        dns.setTimeout(Duration.ofSeconds(5));
        Message answer = dns.send(Message.newQuery(Record.newRecord(Name.fromString("weighted.service.consul."),
                Type.SRV, DClass.IN)));
        assertThat(answer.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((SRVRecord) r).getWeight()).isEqualTo(40));

        String warning = body.replace("\"Status\":\"passing\"", "\"Status\":\"warning\"");
        assertThat(put("/v1/catalog/register", warning).body()).isEqualTo("true");
        Message warned = dns.send(Message.newQuery(Record.newRecord(Name.fromString("weighted.service.consul."),
                Type.SRV, DClass.IN)));
        assertThat(warned.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((SRVRecord) r).getWeight()).isEqualTo(5));
    }

    @Test
    void badExtrasAndScriptChecksAreRefusedAndRegisterNothing() {
        HttpResponse<String> zero = put("/v1/agent/service/register",
                "{\"ID\":\"z-1\",\"Name\":\"z\",\"Weights\":{\"Passing\":0,\"Warning\":1}}");
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(zero.body()).contains("Passing must be greater than 0");
        HttpResponse<String> proxy = put("/v1/agent/service/register",
                "{\"ID\":\"p-1\",\"Name\":\"p\",\"Proxy\":\"not an object\"}");
        assertThat(proxy.statusCode()).isEqualTo(400);

        HttpResponse<String> script = put("/v1/agent/check/register",
                "{\"Name\":\"disk\",\"Args\":[\"/bin/check_disk\",\"-w\",\"10\"],\"Interval\":\"10s\"}");
        assertThat(script.statusCode()).isEqualTo(400);
        assertThat(script.body()).startsWith("Scripts are disabled on this agent");

        assertThat(node.get("/v1/agent/services").body()).doesNotContain("z-1", "p-1");
        assertThat(node.get("/v1/agent/checks").body()).doesNotContain("disk");
    }

    @Test
    void tagsChangedThroughTheCatalogStayWhenTheServiceAllowsTagOverride() throws Exception {
        assertThat(put("/v1/agent/service/register", "{\"ID\":\"over-1\",\"Name\":\"over\",\"Tags\":[\"a\"],"
                + "\"EnableTagOverride\":true}").statusCode()).isEqualTo(200);
        assertThat(put("/v1/agent/service/register", "{\"ID\":\"fixed-1\",\"Name\":\"fixed\",\"Tags\":[\"a\"]}")
                .statusCode()).isEqualTo(200);
        String self = node.name();
        for (String id : List.of("over", "fixed")) {
            String catalogUpdate = "{\"Node\":\"" + self + "\",\"Address\":\"127.0.0.1\",\"Service\":{\"ID\":\""
                    + id + "-1\",\"Service\":\"" + id + "\",\"Tags\":[\"b\"]"
                    + (id.equals("over") ? ",\"EnableTagOverride\":true" : "") + "}}";
            assertThat(put("/v1/catalog/register", catalogUpdate).body()).isEqualTo("true");
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(
                json(node.get("/v1/catalog/service/fixed")).get(0).get("ServiceTags").toString())
                .as("anti-entropy puts the agent's tags back").isEqualTo("[\"a\"]"));
        assertThat(json(node.get("/v1/catalog/service/over")).get(0).get("ServiceTags").toString())
                .isEqualTo("[\"b\"]");
        assertThat(json(node.get("/v1/agent/service/over-1")).get("Tags").toString())
                .as("the agent adopts the catalog's tags").isEqualTo("[\"b\"]");
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                json(node.get("/v1/catalog/node/" + self)).at("/Node/TaggedAddresses/wan").asText())
                .as("the catalog registrations gave the node no tagged addresses; anti-entropy restores them")
                .isEqualTo("127.0.0.1"));
    }

    @Test
    void aServersOwnNodeDeregisteredThroughTheCatalogComesBackWithItsCheckAndConsulService() {
        String self = node.name();
        assertThat(put("/v1/catalog/deregister", "{\"Node\":\"" + self + "\"}").body()).isEqualTo("true");

        await().atMost(WAIT).untilAsserted(() -> {
            String health = node.get("/v1/health/node/" + self).body();
            assertThat(health).contains("\"CheckID\":\"serfHealth\"", "\"Status\":\"passing\"");
            assertThat(node.get("/v1/catalog/node/" + self).body()).contains("\"consul\":{");
        });
    }

    private HttpResponse<String> put(String path, String body) {
        return node.send(HttpRequest.newBuilder(node.uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
