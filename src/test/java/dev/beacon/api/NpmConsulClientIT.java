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
 * The npm {@code consul} package (2.0.1, installed from the npm registry with its lock file) as a Node.js
 * application uses it against a real server: KV with flags, CAS and delete, agent service registration with a TTL
 * check, catalog and health discovery (with {@code filter}), agent self and members, a session lock, and
 * deregistration. The scenario is {@code src/test/node/consul-npm/scenario.mjs}; it prints each step's result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NpmConsulClientIT {
    private static final Path SCENARIO = Path.of("src/test/node/consul-npm");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEEDS = "Node.js 18+ with npm is needed, and the npm registry";
    private BeaconNode node;
    private JsonNode results;

    @BeforeAll
    void runScenario(@TempDir Path dir) throws Exception {
        node = new BeaconNode("npm", "127.0.0.1", TestCluster.freePort(), List.of(), dir.resolve("data")).start();
        node.cluster().whenReady().join();
        Path app = Files.createDirectories(dir.resolve("app"));
        for (String file : List.of("package.json", "package-lock.json", "scenario.mjs")) {
            Files.copy(SCENARIO.resolve(file), app.resolve(file));
        }
        ClientProcess.run(app, 300, NEEDS, "npm", "ci", "--no-audit", "--no-fund");
        String output = ClientProcess.run(app, 120, NEEDS, "node", "scenario.mjs", Integer.toString(node.httpPort()));
        results = JSON.readTree(output);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void keyValueWithFlagsCasAndDelete() {
        assertThat(step("kvSet").asBoolean()).isTrue();
        assertThat(step("kvGet").get("Value").asText()).isEqualTo("postgres://db:5432");
        assertThat(step("kvKeys")).extracting(JsonNode::asText)
                .containsExactly("npm/config/db", "npm/config/flagged");
        assertThat(step("kvRecurse").findValuesAsText("Key")).containsExactly("npm/config/db", "npm/config/flagged");
        assertThat(step("kvRecurse").get(1).get("Flags").asLong()).isEqualTo(42);
        assertThat(step("kvCasWrong").asBoolean()).as("a CAS on an old index").isFalse();
        assertThat(step("kvDel").asBoolean()).isTrue();
        assertThat(step("kvGone").asText()).as("a deleted key reads as nothing").isEqualTo("undefined");
    }

    @Test
    void aServiceRegisteredThroughTheAgentIsDiscoveredAndFiltered() {
        assertThat(step("register").has("error")).as(step("register").toString()).isFalse();
        assertThat(step("pass").has("error")).as(step("pass").toString()).isFalse();
        assertThat(step("agentServices").get("web-npm").get("Tags").toString()).isEqualTo("[\"npm\",\"blue\"]");
        assertThat(step("catalogServices").has("web")).isTrue();
        assertThat(step("catalogNodes").get(0).get("ServicePort").asInt()).isEqualTo(8080);
        assertThat(step("healthPassing").findValuesAsText("ID")).contains("web-npm");
        assertThat(step("healthFiltered")).hasSize(1);
        assertThat(step("healthFilteredOut")).isEmpty();
        assertThat(step("afterDeregister").has("web-npm")).isFalse();
    }

    @Test
    void agentStatusAndSessions() {
        assertThat(step("leader").asText()).isEqualTo(node.cluster().settings().localMember());
        assertThat(step("agentSelf").at("/Config/NodeName").asText()).isEqualTo("npm");
        assertThat(step("agentMembers").get(0).get("Name").asText()).isEqualTo("npm");
        assertThat(step("session").get("acquired").asBoolean()).isTrue();
        assertThat(step("session").get("released").asBoolean()).isTrue();
    }

    private JsonNode step(String name) {
        assertThat(results.has(name)).as("step %s ran: %s", name, results).isTrue();
        return results.get(name);
    }
}
