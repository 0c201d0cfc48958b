package dev.beacon.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ?filter=} over HTTP on every endpoint that takes it, with expressions of the kinds Consul's filtering
 * documentation shows (as Prometheus' Consul service discovery and consul-template send them), and bad filters
 * refused with a 400 that says where.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilterApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private BeaconNode node;

    @BeforeAll
    void start(@TempDir Path dir) {
        node = new BeaconNode("filters", "127.0.0.1", TestCluster.freePort(), List.of(), dir).start();
        node.cluster().whenReady().join();
        register("db1", "10.0.0.1", "prod", "api-1", "api", "[\"v2\",\"primary\"]", "{\"version\":\"2\"}", 8080,
                "passing");
        register("db2", "10.0.0.2", "staging", "api-2", "api", "[\"v1\"]", "{\"version\":\"1\"}", 8081, "critical");
        register("db3", "10.0.0.3", "prod", "cache-1", "cache", "[\"primary\"]", "{}", 6379, "warning");
        agentPut("/v1/agent/service/register", "{\"ID\":\"local-1\",\"Name\":\"local\",\"Tags\":[\"edge\"],"
                + "\"Port\":9000,\"Meta\":{\"team\":\"web\"},\"Check\":{\"TTL\":\"30s\"}}");
        agentPut("/v1/agent/service/register", "{\"ID\":\"local-2\",\"Name\":\"local\",\"Port\":9001}");
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void catalogEndpointsSelectWhatTheExpressionNames() throws Exception {
        assertThat(ids("/v1/catalog/service/api", "ServiceMeta.version == \"2\"", "ServiceID"))
                .containsExactly("api-1");
        assertThat(ids("/v1/catalog/service/api", "\"v1\" in ServiceTags or ServicePort == 8080", "ServiceID"))
                .containsExactlyInAnyOrder("api-1", "api-2");
        assertThat(ids("/v1/catalog/service/api", "NodeMeta.env == prod and not (ServiceTags is empty)",
                "ServiceID")).containsExactly("api-1");
        assertThat(ids("/v1/catalog/nodes", "Meta.env == staging", "Node")).containsExactly("db2");
        assertThat(ids("/v1/catalog/nodes", "Address matches \"^10\\\\.0\\\\.0\\\\.[13]$\"", "Node"))
                .containsExactlyInAnyOrder("db1", "db3");
        JsonNode services = get("/v1/catalog/services", "\"primary\" in ServiceTags");
        assertThat(fieldNames(services)).containsExactlyInAnyOrder("api", "cache");
        JsonNode nodeServices = get("/v1/catalog/node-services/db1", "Port != 8080");
        assertThat(nodeServices.get("Services")).isEmpty();
        assertThat(fieldNames(get("/v1/catalog/node/db3", "Service == cache").get("Services")))
                .containsExactly("cache-1");
    }

    @Test
    void healthEndpointsFilterOnNodeServiceAndChecks() throws Exception {
        assertThat(ids("/v1/health/service/api", "Checks.Status == critical", "/Service/ID"))
                .containsExactly("api-2");
        assertThat(ids("/v1/health/service/api", "Service.Meta.version != \"2\" and Node.Meta.env == staging",
                "/Service/ID")).containsExactly("api-2");
        assertThat(ids("/v1/health/service/api", "Checks.Status != passing", "/Service/ID"))
                .as("some check is not passing").containsExactly("api-2");
        assertThat(ids("/v1/health/state/any", "Status == warning", "CheckID")).containsExactly("cache-1:c");
        assertThat(ids("/v1/health/checks/api", "ServiceTags contains v2", "CheckID")).containsExactly("api-1:c");
        assertThat(ids("/v1/health/node/db2", "ServiceName == api", "CheckID")).containsExactly("api-2:c");
    }

    @Test
    void agentEndpointsFilterTheLocalServicesAndChecks() throws Exception {
        assertThat(fieldNames(get("/v1/agent/services", "Meta.team == web"))).containsExactly("local-1");
        assertThat(fieldNames(get("/v1/agent/services", "Tags is empty"))).containsExactly("local-2");
        assertThat(fieldNames(get("/v1/agent/checks", "ServiceID == \"local-1\""))).containsExactly("service:local-1");
        assertThat(fieldNames(get("/v1/agent/checks", "ServiceName == \"local\""))).contains("service:local-1");
    }

    @Test
    void aBadFilterIsA400ThatSaysWhereAndAnUnknownSelectorIsNamed() {
        HttpResponse<String> syntax = raw("/v1/health/service/api", "Service.Port ==");
        assertThat(syntax.statusCode()).isEqualTo(400);
        assertThat(syntax.body()).startsWith("Failed to create boolean expression evaluator: 1:16");
        HttpResponse<String> unknown = raw("/v1/catalog/nodes", "Color == red");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("Selector \"Color\" is not valid");
        HttpResponse<String> wrongType = raw("/v1/catalog/service/api", "ServicePort == abc");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(raw("/v1/agent/checks", "(Status == passing").statusCode()).isEqualTo(400);
        assertThat(raw("/v1/catalog/nodes", "   ").statusCode()).as("a blank filter is no filter").isEqualTo(200);
    }

    private void register(String nodeName, String address, String env, String id, String service, String tags,
                          String meta, int port, String status) {
        String body = "{\"Node\":\"" + nodeName + "\",\"Address\":\"" + address + "\",\"NodeMeta\":{\"env\":\""
                + env + "\"},\"Service\":{\"ID\":\"" + id + "\",\"Service\":\"" + service + "\",\"Tags\":" + tags
                + ",\"Meta\":" + meta + ",\"Port\":" + port + "},\"Check\":{\"CheckID\":\"" + id + ":c\","
                + "\"Name\":\"c\",\"ServiceID\":\"" + id + "\",\"Status\":\"" + status + "\"}}";
        assertThat(agentPut("/v1/catalog/register", body).body()).isEqualTo("true");
    }

    private HttpResponse<String> agentPut(String path, String body) {
        HttpResponse<String> response = node.send(HttpRequest.newBuilder(node.uri(path))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private HttpResponse<String> raw(String path, String filter) {
        return node.get(path + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
    }

    private JsonNode get(String path, String filter) throws Exception {
        HttpResponse<String> response = raw(path, filter);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The field (a name, or a JSON pointer) of each element of a list answer. */
    private List<String> ids(String path, String filter, String field) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode item : get(path, filter)) {
            ids.add(field.startsWith("/") ? item.at(field).asText() : item.get(field).asText());
        }
        return ids;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        fields.forEachRemaining(e -> names.add(e.getKey()));
        return names;
    }
}
