package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.beacon.state.Command;
import dev.beacon.state.KvEntry;
import dev.beacon.state.Node;
import dev.beacon.state.Outcome;
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

/**
 * A real three-server cluster on 127.0.0.1-3: replication from a follower, the HTTP view of the cluster, leader
 * failover, and a full restart from disk. The steps build on each other, so they run in order on one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private TestCluster cluster;
    private Outcome firstWrite;
    private Outcome writeAfterFailover;

    @BeforeAll
    void startCluster(@TempDir Path dataRoot) {
        cluster = new TestCluster(dataRoot).startAll();
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @Test
    @Order(1)
    void commandSubmittedOnFollowerIsAppliedOnAllServersAtTheSameIndex() throws Exception {
        BeaconNode leader = cluster.awaitLeader();
        BeaconNode follower = cluster.followers(leader).get(0);

        firstWrite = submit(follower, new Command.KvSet("config/app", utf8("v1"), 7, Command.NO_CAS));

        assertThat(firstWrite.success()).isTrue();
        for (BeaconNode node : cluster.nodes()) {
            KvEntry entry = awaitKey(node, "config/app");
            assertThat(entry.modifyIndex()).as(node.name()).isEqualTo(firstWrite.index());
            assertThat(entry.createIndex()).as(node.name()).isEqualTo(firstWrite.index());
            assertThat(entry.flags()).isEqualTo(7);
            assertThat(new String(entry.value(), StandardCharsets.UTF_8)).isEqualTo("v1");
        }
    }

    @Test
    @Order(2)
    void everyServerRegistersItselfAndReportsTheSameClusterOverHttp() {
        BeaconNode leader = cluster.awaitLeader();
        String leaderAddress = "\"" + leader.cluster().settings().localMember() + "\"";
        for (BeaconNode node : cluster.nodes()) {
            assertThat(node.get("/v1/status/leader").body()).isEqualTo(leaderAddress);
            assertThat(node.get("/v1/status/peers").body())
                    .contains("127.0.0.1:", "127.0.0.2:", "127.0.0.3:");
            assertThat(node.get("/v1/operator/raft/configuration").body())
                    .contains("\"Leader\":true", "\"Node\":\"node1\"", "\"Node\":\"node2\"", "\"Node\":\"node3\"");
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    node.store().nodes().value().stream().map(Node::name).toList())
                    .containsExactly("node1", "node2", "node3"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(node.get("/v1/agent/members").body())
                    .contains("\"Name\":\"node1\"", "\"Name\":\"node2\"", "\"Name\":\"node3\"")
                    .doesNotContain("\"Status\":4"));
        }
        // Only the leader knows when each follower last answered it; the UI's cluster page shows it.
        List<String> followerAddresses = cluster.followers(leader).stream()
                .map(f -> f.cluster().settings().localMember()).toList();
        await().atMost(WAIT).untilAsserted(() -> assertThat(leader.cluster().followerLastContact())
                .containsOnlyKeys(followerAddresses));
        assertThat(cluster.followers(leader).get(0).cluster().followerLastContact()).isEmpty();
        assertThat(leader.get("/ui/cluster").body()).contains("Last contact").doesNotContain("known to the leader");
        assertThat(cluster.followers(leader).get(0).get("/ui/cluster").body()).contains("known to the leader");
        long term = leader.cluster().term();
        assertThat(term).isPositive();
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.nodes())
                .allSatisfy(node -> assertThat(node.cluster().term()).as(node.name()).isEqualTo(term)));
        assertThat(leader.get("/ui/cluster").body()).contains("Raft term", "<dd>" + term + "</dd>");
    }

    @Test
    @Order(3)
    void stoppingTheLeaderElectsAnotherAndWritesGoOn() throws Exception {
        BeaconNode oldLeader = cluster.awaitLeader();
        long oldTerm = oldLeader.cluster().term();
        oldLeader.stop();

        BeaconNode newLeader = cluster.awaitLeader();
        assertThat(newLeader).isNotSameAs(oldLeader);
        assertThat(newLeader.cluster().term()).as("a new leader is elected in a later term").isGreaterThan(oldTerm);
        BeaconNode survivor = cluster.followers(newLeader).get(0);
        writeAfterFailover = submit(survivor, new Command.KvSet("config/after", utf8("v2"), 0, Command.NO_CAS));

        assertThat(writeAfterFailover.success()).isTrue();
        assertThat(writeAfterFailover.index()).isGreaterThan(firstWrite.index());
        assertThat(awaitKey(newLeader, "config/after").modifyIndex()).isEqualTo(writeAfterFailover.index());

        oldLeader.start();
        assertThat(awaitKey(oldLeader, "config/after").modifyIndex()).isEqualTo(writeAfterFailover.index());
        assertThat(awaitKey(oldLeader, "config/app").modifyIndex()).isEqualTo(firstWrite.index());
    }

    @Test
    @Order(4)
    void restartingTheWholeClusterKeepsEveryAcknowledgedWrite() throws Exception {
        cluster.stopAll();
        cluster.startAll();
        BeaconNode leader = cluster.awaitLeader();

        for (BeaconNode node : cluster.nodes()) {
            assertThat(awaitKey(node, "config/app").modifyIndex()).as(node.name()).isEqualTo(firstWrite.index());
            assertThat(awaitKey(node, "config/after").modifyIndex()).as(node.name())
                    .isEqualTo(writeAfterFailover.index());
        }
        Outcome next = submit(leader, new Command.KvSet("config/app", utf8("v3"), 0, Command.NO_CAS));
        assertThat(next.index()).isGreaterThan(writeAfterFailover.index());
        assertThat(awaitKey(leader, "config/app").createIndex()).isEqualTo(firstWrite.index());
    }

    private static Outcome submit(BeaconNode node, Command command) throws Exception {
        return node.replicator().submit(command).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static KvEntry awaitKey(BeaconNode node, String key) {
        return await().atMost(WAIT).until(() -> node.store().kvGet(key).value(), e -> e != null);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}
