package dev.beacon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.ClientProcess;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * python-consul (Debian's {@code python3-consul}, 0.7.1) as a Python application uses it against a real server:
 * KV with flags, CAS, a blocking get and delete; agent registration found through the catalog, health and a
 * prepared query; datacenters, {@code dc=}, network coordinates and {@code near=} (which this client failed on
 * while {@code /v1/coordinate/nodes} was missing); a session lock; status and members. The scenario is
 * {@code src/test/python/consul-python/scenario.py}; it prints each step's result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PythonConsulClientIT {
    private static final Path SCENARIO = Path.of("src/test/python/consul-python/scenario.py");
    /** Debian's interpreter, which has the package; another python3 first on the PATH may not. */
    private static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();
    private BeaconNode node;
    private JsonNode results;

    @BeforeAll
    void runScenario(@TempDir Path dir) throws Exception {
        node = new BeaconNode("py", "127.0.0.1", TestCluster.freePort(), List.of(), dir.resolve("data")).start();
        node.cluster().whenReady().join();
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.copy(SCENARIO, app.resolve("scenario.py"));
        String output = ClientProcess.run(app, 120, "Debian's python3 with python3-consul (.ci/run installs it)",
                PYTHON, "scenario.py", Integer.toString(node.httpPort()));
        results = JSON.readTree(output);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void keyValueWithFlagsCasBlockingAndDelete() {
        assertThat(step("kvPut").asBoolean()).isTrue();
        assertThat(step("kvGet").get("value").asText()).isEqualTo("postgres://db:5432");
        assertThat(step("kvGet").get("flags").asLong()).isEqualTo(7);
        assertThat(step("kvCasWrong").asBoolean()).as("a CAS on an old index").isFalse();
        assertThat(step("kvKeys")).extracting(JsonNode::asText).containsExactly("py/config/db");
        assertThat(step("kvBlocking").asBoolean()).as("a blocking get answers with an index").isTrue();
        assertThat(step("kvDelete").asBoolean()).isTrue();
        assertThat(step("kvGone").isNull()).as("a deleted key reads as None").isTrue();
    }

    @Test
    void aServiceRegisteredThroughTheAgentIsFoundByCatalogHealthAndAPreparedQuery() {
        assertThat(step("register").asBoolean()).isTrue();
        assertThat(step("catalogService")).extracting(JsonNode::asText).containsExactly("web-py");
        assertThat(step("healthPassing")).extracting(JsonNode::asText).containsExactly("web-py");
        assertThat(step("queryCreate").has("ID")).as(step("queryCreate").toString()).isTrue();
        assertThat(step("queryExecute").get("service").asText()).isEqualTo("web");
        assertThat(step("queryExecute").get("nodes")).extracting(JsonNode::asText).containsExactly("web-py");
        assertThat(step("queryList")).extracting(JsonNode::asText).containsExactly("web-query");
        assertThat(step("agentServices")).extracting(JsonNode::asText).containsExactly("web-py");
        assertThat(step("deregister").asBoolean()).isTrue();
        assertThat(step("afterDeregister")).isEmpty();
    }

    @Test
    void datacentersCoordinatesAndNearness() {
        assertThat(step("datacenters")).extracting(JsonNode::asText).containsExactly("dc1");
        assertThat(step("localDc")).extracting(JsonNode::asText).containsExactly("py");
        assertThat(step("unknownDc").get("error").asText()).isEqualTo("ConsulException: 500 No path to datacenter\n");
        assertThat(step("coordinateDatacenters")).extracting(JsonNode::asText).containsExactly("dc1");
        assertThat(step("coordinateNodes")).extracting(JsonNode::asText).containsExactly("py");
        assertThat(step("near")).extracting(JsonNode::asText).containsExactly("py");
    }

    @Test
    void sessionsStatusAndMembers() {
        assertThat(step("session").get("acquired").asBoolean()).isTrue();
        assertThat(step("session").get("released").asBoolean()).isTrue();
        assertThat(step("session").get("destroyed").asBoolean()).isTrue();
        assertThat(step("leader").asText()).isEqualTo(node.cluster().settings().localMember());
        assertThat(step("members")).extracting(JsonNode::asText).containsExactly("py");
    }

    private JsonNode step(String name) {
        assertThat(results.has(name)).as("step %s ran: %s", name, results).isTrue();
        JsonNode result = results.get(name);
        assertThat(result.isObject() && result.has("error") && !name.equals("unknownDc"))
                .as("step %s failed: %s", name, result).isFalse();
        return result;
    }
}
