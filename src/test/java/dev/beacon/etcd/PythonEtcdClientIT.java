package dev.beacon.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

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
 * python-etcd (Debian's {@code python3-etcd}, 0.4.5), an etcd v2 client, as a Python application uses it against
 * three servers: given all three addresses, it reads the members and the leader, sets, compares and swaps,
 * updates, makes directories and in-order keys, lists, deletes, sees a TTL expire through a watch, is woken on one
 * server by a write through another, holds its lock recipe, and reads and writes keys the Consul API shares. Then
 * the leader stops and a client whose first address is that server's carries on through the others. The scenario
 * is {@code src/test/python/etcd-python/scenario.py}; it prints each step's result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PythonEtcdClientIT {
    private static final Path SCENARIO = Path.of("src/test/python/etcd-python/scenario.py");
    /** Debian's interpreter, which has the package; another python3 first on the PATH may not. */
    private static final String PYTHON = "/usr/bin/python3";
    private static final String NEEDS = "Debian's python3 with python3-etcd (.ci/run installs it)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private TestCluster cluster;
    private int etcdPort;
    private String leaderAddress;
    private JsonNode results;
    private JsonNode afterStop;
    private JsonNode fromEtcdThroughConsul;

    @BeforeAll
    void runScenario(@TempDir Path dir) throws Exception {
        cluster = new TestCluster(dir.resolve("servers"));
        etcdPort = TestCluster.freePort();
        for (BeaconNode node : cluster.nodes()) {
            node.with("beacon.ports.etcd", Integer.toString(etcdPort)).with("beacon.client-address", address(node));
        }
        cluster.startAll();
        BeaconNode leader = cluster.awaitLeader();
        leaderAddress = address(leader);
        // The Consul API through the server on 127.0.0.1, the address the test's HTTP helpers use.
        BeaconNode consul = cluster.node(0);
        assertThat(consul.send("PUT", "/v1/kv/shared/from-consul", "", "hello from consul").body())
                .isEqualTo("true");

        Path app = Files.createDirectories(dir.resolve("app"));
        Files.copy(SCENARIO, app.resolve("scenario.py"));
        results = JSON.readTree(ClientProcess.run(app, 180, NEEDS, PYTHON, "scenario.py", "main",
                Integer.toString(etcdPort)));
        fromEtcdThroughConsul = JSON.readTree(consul.send("GET", "/v1/kv/shared/from-etcd?consistent", "", null)
                .body());

        leader.stop();
        cluster.awaitLeader();
        afterStop = JSON.readTree(ClientProcess.run(app, 180, NEEDS, PYTHON, "scenario.py", "failover",
                Integer.toString(etcdPort), leaderAddress));
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String address(BeaconNode node) {
        return "127.0.0." + node.name().substring("node".length());
    }

    private String url(String address) {
        return "http://" + address + ":" + etcdPort;
    }

    @Test
    void itFindsEveryMemberAndTheLeaderByTheirClientUrls() {
        assertThat(step(results, "members")).extracting(JsonNode::asText)
                .containsExactly(url("127.0.0.1"), url("127.0.0.2"), url("127.0.0.3"));
        assertThat(step(results, "leader")).extracting(JsonNode::asText).containsExactly(url(leaderAddress));
    }

    @Test
    void setCompareAndSwapAndUpdateAnswerWithTheNodeAndItsPreviousValue() {
        assertThat(step(results, "write").get("action").asText()).isEqualTo("set");
        assertThat(step(results, "write").get("newKey").asBoolean()).isTrue();
        assertThat(step(results, "set").get("value").asText()).isEqualTo("two");
        assertThat(step(results, "set").get("prevValue").asText()).isEqualTo("one");
        assertThat(step(results, "compareAndSwap").get("action").asText()).isEqualTo("compareAndSwap");
        assertThat(step(results, "compareAndSwap").get("prevValue").asText()).isEqualTo("two");
        assertThat(step(results, "compareFails").asText()).isEqualTo("EtcdCompareFailed");
        assertThat(step(results, "createExisting").asText()).isEqualTo("EtcdAlreadyExist");
        assertThat(step(results, "update").get("value").asText()).isEqualTo("four");
        assertThat(step(results, "update").get("prevValue").asText()).isEqualTo("three");
        assertThat(step(results, "delete").get("action").asText()).isEqualTo("delete");
        assertThat(step(results, "delete").get("prevValue").asText()).isEqualTo("four");
        assertThat(step(results, "deleteAgain").asText()).isEqualTo("EtcdKeyNotFound");
    }

    @Test
    void directoriesInOrderKeysAndHiddenKeys() {
        assertThat(step(results, "mkdir").asBoolean()).isTrue();
        assertThat(step(results, "hidden").get("key").asText()).isEqualTo("/py/_hidden");
        assertThat(step(results, "append").get("values")).extracting(JsonNode::asText)
                .containsExactly("job-1", "job-2");
        assertThat(step(results, "append").get("ordered").asBoolean()).as("in-order keys sort as created").isTrue();
        assertThat(step(results, "list")).extracting(JsonNode::asText)
                .containsExactly("/py/a", "/py/dir", "/py/queue");
        assertThat(step(results, "leaves")).extracting(JsonNode::asText).hasSize(4)
                .contains("/py/a", "/py/dir").allMatch(key -> !key.contains("_hidden"));
        assertThat(step(results, "removeNonEmptyDir").asText()).isEqualTo("EtcdDirNotEmpty");
        assertThat(step(results, "removeRecursive").asText()).isEqualTo("delete");
    }

    @Test
    void aKeyWithATimeToLiveExpiresAndItsWatcherSeesTheExpiry() {
        JsonNode expiry = step(results, "expiry");
        assertThat(expiry.get("ttl").asInt()).isEqualTo(1);
        assertThat(expiry.get("event").asText()).isEqualTo("expire");
        assertThat(expiry.get("afterwards").asText()).isEqualTo("EtcdKeyNotFound");
    }

    @Test
    void aWatchOnOneServerIsWokenByAWriteThroughAnother() {
        JsonNode event = step(results, "watchAcrossServers");
        assertThat(event.get("key").asText()).isEqualTo("/py/watched");
        assertThat(event.get("value").asText()).isEqualTo("woken");
    }

    @Test
    void itsLockRecipeAcquiresAndReleases() {
        assertThat(step(results, "lock").get("acquired").asBoolean()).isTrue();
        assertThat(step(results, "lock").get("releasedAfter").asBoolean()).isTrue();
    }

    @Test
    void keysAreSharedWithTheConsulApiBothWays() {
        assertThat(step(results, "fromConsul").asText()).isEqualTo("hello from consul");
        assertThat(step(results, "toConsul").get("key").asText()).isEqualTo("/shared/from-etcd");
        assertThat(new String(Base64.getDecoder().decode(fromEtcdThroughConsul.get(0).get("Value").asText()),
                StandardCharsets.UTF_8)).isEqualTo("hello from etcd");
    }

    @Test
    void aClientWhoseFirstServerStoppedCarriesOnThroughTheOthers() {
        assertThat(step(afterStop, "write").get("value").asText()).isEqualTo("written");
        assertThat(step(afterStop, "read").asText()).isEqualTo("written");
        assertThat(step(afterStop, "earlier").asText()).isEqualTo("hello from etcd");
    }

    private static JsonNode step(JsonNode results, String name) {
        assertThat(results.has(name)).as("step %s ran: %s", name, results).isTrue();
        JsonNode result = results.get(name);
        assertThat(result.isObject() && result.has("error")).as("step %s failed: %s", name, result).isFalse();
        return result;
    }
}
