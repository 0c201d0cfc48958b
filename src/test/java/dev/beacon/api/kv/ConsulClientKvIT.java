package dev.beacon.api.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.ConsulException;
import org.kiwiproject.consul.KeyValueClient;
import org.kiwiproject.consul.cache.KVCache;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.kv.Operation;
import org.kiwiproject.consul.model.kv.TxResponse;
import org.kiwiproject.consul.model.kv.Value;
import org.kiwiproject.consul.model.kv.Verb;
import org.kiwiproject.consul.monitoring.ClientEventCallback;
import org.kiwiproject.consul.option.ConsistencyMode;
import org.kiwiproject.consul.option.ImmutableDeleteOptions;
import org.kiwiproject.consul.option.ImmutablePutOptions;
import org.kiwiproject.consul.option.ImmutableQueryOptions;

/**
 * The real kiwiproject consul-client (OkHttp + Retrofit, as applications use it) against a real three-server
 * Beacon cluster: KV get/put/list/keys/CAS/delete, {@code PUT /v1/txn}, and a {@link KVCache} blocking-query watch.
 * Writes go through one server and reads through another, so each check also covers replication and the
 * read-your-writes guarantee of Consul's default consistency mode. Each test uses its own key prefix.
 * <p>
 * Keys are written as applications write them, with "/" (config/app/...): consul-client sends such a key as one
 * path segment with the "/" percent-encoded, which the server must decode as Consul does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsulClientKvIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Long enough for a blocking query with the cache's watch, plus the server's jitter. */
    private static final long READ_TIMEOUT_MILLIS = 120_000;
    private static final int WATCH_SECONDS = 20;

    private TestCluster cluster;
    private BeaconNode leader;
    private BeaconNode followerA;
    private BeaconNode followerB;
    private Consul viaLeader;
    private Consul viaFollowerA;
    private Consul viaFollowerB;
    /** Every non-2xx answer the clients got (method, path and query, message), e.g. a 400 for an unknown parameter. */
    private final List<String> invalidRequests = new CopyOnWriteArrayList<>();
    private final List<Throwable> cachePollingErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) {
        cluster = new TestCluster(dir).startAll();
        leader = cluster.awaitLeader();
        List<BeaconNode> followers = cluster.followers(leader);
        followerA = followers.get(0);
        followerB = followers.get(1);
        viaLeader = client(leader);
        viaFollowerA = client(followerA);
        viaFollowerB = client(followerB);
    }

    @AfterAll
    void stop() {
        for (Consul consul : new Consul[] {viaLeader, viaFollowerA, viaFollowerB}) {
            if (consul != null) {
                consul.destroy();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void clearRecordedErrors() {
        invalidRequests.clear();
        cachePollingErrors.clear();
    }

    @AfterEach
    void noUnexpectedErrorAnswers() {
        // Tests that expect an error answer (the failing transaction) remove it themselves.
        assertThat(invalidRequests).as("requests Beacon refused").isEmpty();
    }

    private Consul client(BeaconNode node) {
        return Consul.builder()
                .withUrl("http://127.0.0.1:" + node.httpPort())
                .withPing(true) // GET /v1/status/leader
                .withReadTimeoutMillis(READ_TIMEOUT_MILLIS)
                .withClientEventCallback(new ClientEventCallback() {
                    @Override
                    public void onHttpRequestInvalid(String client, String method, String query, Throwable t) {
                        invalidRequests.add(node.name() + " " + method + " " + query + ": " + t.getMessage());
                    }

                    @Override
                    public void onCachePollingError(String client,
                                                    org.kiwiproject.consul.cache.CacheDescriptor descriptor,
                                                    Throwable t) {
                        cachePollingErrors.add(t);
                    }
                })
                .build();
    }

    @Test
    void putOnAFollowerIsReadBackWithValueAndFlagsThroughAnotherServer() {
        KeyValueClient writer = viaFollowerA.keyValueClient();
        KeyValueClient reader = viaFollowerB.keyValueClient();

        assertThat(writer.putValue("kiwi/basic/greeting", "hello beacon", 42L)).isTrue();
        assertThat(writer.putValue("kiwi/basic/max-flags", "x", -1L)).isTrue(); // flags 2^64-1, sent unsigned

        // Default consistency reads what was acknowledged, even on another follower.
        Value value = reader.getValue("kiwi/basic/greeting").orElseThrow();
        assertThat(value.getKey()).isEqualTo("kiwi/basic/greeting");
        assertThat(value.getValueAsString(StandardCharsets.UTF_8)).contains("hello beacon");
        assertThat(value.getFlags()).isEqualTo(42L);
        assertThat(value.getLockIndex()).isZero();
        assertThat(value.getSession()).isEmpty();
        assertThat(value.getCreateIndex()).isPositive().isEqualTo(value.getModifyIndex());
        assertThat(reader.getValueAsString("kiwi/basic/greeting", StandardCharsets.UTF_8)).contains("hello beacon");
        assertThat(Long.toUnsignedString(reader.getValue("kiwi/basic/max-flags").orElseThrow().getFlags()))
                .isEqualTo("18446744073709551615");

        // The response's X-Consul-Index is the key's ModifyIndex.
        ConsulResponse<Value> response = viaLeader.keyValueClient()
                .getConsulResponseWithValue("kiwi/basic/greeting").orElseThrow();
        assertThat(response.getIndex()).isEqualTo(BigInteger.valueOf(value.getModifyIndex()));
        assertThat(response.isKnownLeader()).isTrue();

        // Overwriting keeps CreateIndex, moves ModifyIndex, and resets flags when none are given.
        assertThat(viaLeader.keyValueClient().putValue("kiwi/basic/greeting", "hello again")).isTrue();
        Value updated = reader.getValue("kiwi/basic/greeting").orElseThrow();
        assertThat(updated.getValueAsString(StandardCharsets.UTF_8)).contains("hello again");
        assertThat(updated.getCreateIndex()).isEqualTo(value.getCreateIndex());
        assertThat(updated.getModifyIndex()).isGreaterThan(value.getModifyIndex());
        assertThat(updated.getFlags()).isZero();

        // Binary values survive the base64 round trip.
        byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xfe};
        assertThat(writer.putValue("kiwi/basic/binary", binary, 0, ImmutablePutOptions.builder().build())).isTrue();
        assertThat(reader.getValue("kiwi/basic/binary").orElseThrow().getValueAsBytes()).contains(binary);

        // A missing key is an empty Optional (404), not an error.
        assertThat(reader.getValue("kiwi/basic/missing")).isEmpty();
        assertThat(reader.getConsulResponseWithValue("kiwi/basic/missing")).isEmpty();
    }

    @Test
    void staleReadOnAFollowerEventuallySeesTheWrite() {
        assertThat(viaLeader.keyValueClient().putValue("kiwi/stale/k", "v")).isTrue();

        var stale = ImmutableQueryOptions.builder().consistencyMode(ConsistencyMode.STALE).build();
        var consistent = ImmutableQueryOptions.builder().consistencyMode(ConsistencyMode.CONSISTENT).build();
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                viaFollowerB.keyValueClient().getValue("kiwi/stale/k", stale).flatMap(Value::getValueAsString))
                .contains("v"));
        assertThat(viaFollowerA.keyValueClient().getValue("kiwi/stale/k", consistent)
                .flatMap(Value::getValueAsString)).contains("v");
    }

    @Test
    void getValuesReturnsEverythingUnderThePrefixSortedByKey() {
        KeyValueClient writer = viaFollowerA.keyValueClient();
        writer.putValue("kiwi/list/b", "2", 2L);
        writer.putValue("kiwi/list/a", "1", 1L);
        writer.putValue("kiwi/list/c/d", "3", 3L);
        writer.putValue("kiwi/listing", "not under kiwi/list/");

        List<Value> values = viaFollowerB.keyValueClient().getValues("kiwi/list/");
        assertThat(values).extracting(Value::getKey).containsExactly("kiwi/list/a", "kiwi/list/b", "kiwi/list/c/d");
        assertThat(values).extracting(v -> v.getValueAsString(StandardCharsets.UTF_8).orElseThrow())
                .containsExactly("1", "2", "3");
        assertThat(values).extracting(Value::getFlags).containsExactly(1L, 2L, 3L);
        assertThat(viaLeader.keyValueClient().getValuesAsString("kiwi/list/", StandardCharsets.UTF_8))
                .containsExactly("1", "2", "3");

        // Without the trailing slash the prefix is a plain string prefix, as in Consul.
        assertThat(viaLeader.keyValueClient().getValues("kiwi/list")).extracting(Value::getKey)
                .containsExactly("kiwi/list/a", "kiwi/list/b", "kiwi/list/c/d", "kiwi/listing");

        // The list's X-Consul-Index is the highest ModifyIndex under the prefix.
        ConsulResponse<List<Value>> response = viaFollowerB.keyValueClient().getConsulResponseWithValues("kiwi/list/");
        long max = values.stream().mapToLong(Value::getModifyIndex).max().orElseThrow();
        assertThat(response.getIndex()).isEqualTo(BigInteger.valueOf(max));

        // An empty prefix is an empty list (404 with an empty body).
        assertThat(viaFollowerB.keyValueClient().getValues("kiwi/nothing-here/")).isEmpty();
    }

    @Test
    void getKeysListsKeysAndFoldsFoldersWithASeparator() {
        KeyValueClient writer = viaLeader.keyValueClient();
        writer.putValue("kiwi/keys/a", "1");
        writer.putValue("kiwi/keys/b/c", "2");
        writer.putValue("kiwi/keys/b/d", "3");
        writer.putValue("kiwi/keys/e/f/g", "4");

        KeyValueClient reader = viaFollowerA.keyValueClient();
        assertThat(reader.getKeys("kiwi/keys/"))
                .containsExactly("kiwi/keys/a", "kiwi/keys/b/c", "kiwi/keys/b/d", "kiwi/keys/e/f/g");
        assertThat(reader.getKeys("kiwi/keys/", "/"))
                .containsExactly("kiwi/keys/a", "kiwi/keys/b/", "kiwi/keys/e/");
        assertThat(reader.getKeys("kiwi/keys/b/", "/")).containsExactly("kiwi/keys/b/c", "kiwi/keys/b/d");
        assertThat(reader.getKeys("kiwi/no-keys/")).isEmpty();
        assertThat(reader.getKeys("kiwi/no-keys/", "/")).isEmpty();
    }

    @Test
    void casPutSucceedsOnlyWithTheCurrentModifyIndex() {
        KeyValueClient a = viaFollowerA.keyValueClient();
        KeyValueClient b = viaFollowerB.keyValueClient();
        String key = "kiwi/cas/k";

        // cas=0 means "create only".
        assertThat(a.putValue(key, "v1", 0, cas(0))).isTrue();
        assertThat(b.putValue(key, "again", 0, cas(0))).isFalse();
        Value v1 = b.getValue(key).orElseThrow();
        assertThat(v1.getValueAsString(StandardCharsets.UTF_8)).contains("v1");

        // A wrong index is refused and changes nothing.
        assertThat(b.putValue(key, "wrong", 0, cas(v1.getModifyIndex() + 1000))).isFalse();
        assertThat(a.getValue(key).orElseThrow()).isEqualTo(v1);

        // The current index wins, once.
        assertThat(b.putValue(key, "v2", 7, cas(v1.getModifyIndex()))).isTrue();
        Value v2 = a.getValue(key).orElseThrow();
        assertThat(v2.getValueAsString(StandardCharsets.UTF_8)).contains("v2");
        assertThat(v2.getFlags()).isEqualTo(7L);
        assertThat(v2.getCreateIndex()).isEqualTo(v1.getCreateIndex());
        assertThat(v2.getModifyIndex()).isGreaterThan(v1.getModifyIndex());
        assertThat(a.putValue(key, "v3", 0, cas(v1.getModifyIndex()))).isFalse();
        assertThat(b.getValue(key).orElseThrow().getValueAsString(StandardCharsets.UTF_8)).contains("v2");

        // Delete with cas: a wrong index leaves the key, the current one removes it.
        a.deleteKey(key, ImmutableDeleteOptions.builder().cas(v1.getModifyIndex()).build());
        assertThat(b.getValue(key)).contains(v2);
        a.deleteKey(key, ImmutableDeleteOptions.builder().cas(v2.getModifyIndex()).build());
        assertThat(b.getValue(key)).isEmpty();
    }

    @Test
    void deleteRemovesOneKeyAndDeleteKeysRemovesThePrefix() {
        KeyValueClient writer = viaFollowerB.keyValueClient();
        writer.putValue("kiwi/del/", "folder");
        writer.putValue("kiwi/del/one", "1");
        writer.putValue("kiwi/del/two", "2");
        writer.putValue("kiwi/del/sub/three", "3");
        writer.putValue("kiwi/delx", "sibling, not under kiwi/del/");

        KeyValueClient deleter = viaFollowerA.keyValueClient();
        KeyValueClient reader = viaLeader.keyValueClient();

        deleter.deleteKey("kiwi/del/one");
        assertThat(reader.getValue("kiwi/del/one")).isEmpty();
        assertThat(reader.getKeys("kiwi/del/")).containsExactly("kiwi/del/", "kiwi/del/sub/three", "kiwi/del/two");

        // Deleting a missing key is not an error.
        deleter.deleteKey("kiwi/del/never-existed");

        // A plain delete of the folder key removes only that key.
        deleter.deleteKey("kiwi/del/");
        assertThat(reader.getKeys("kiwi/del/")).containsExactly("kiwi/del/sub/three", "kiwi/del/two");

        deleter.deleteKeys("kiwi/del/");
        assertThat(reader.getValues("kiwi/del/")).isEmpty();
        assertThat(reader.getKeys("kiwi/del/")).isEmpty();
        assertThat(reader.getValueAsString("kiwi/delx")).contains("sibling, not under kiwi/del/");
    }

    @Test
    void flatKeysPutGetFlagsCasListAndDeleteThroughDifferentServers() {
        KeyValueClient a = viaFollowerA.keyValueClient();
        KeyValueClient b = viaFollowerB.keyValueClient();
        KeyValueClient l = viaLeader.keyValueClient();

        // put with flags on one follower, read back (default consistency) through the other
        assertThat(a.putValue("kiwi-flat-greeting", "hello beacon", 42L)).isTrue();
        Value greeting = b.getValue("kiwi-flat-greeting").orElseThrow();
        assertThat(greeting.getKey()).isEqualTo("kiwi-flat-greeting");
        assertThat(greeting.getValueAsString(StandardCharsets.UTF_8)).contains("hello beacon");
        assertThat(greeting.getFlags()).isEqualTo(42L);
        assertThat(greeting.getLockIndex()).isZero();
        assertThat(greeting.getSession()).isEmpty();
        assertThat(greeting.getCreateIndex()).isPositive().isEqualTo(greeting.getModifyIndex());
        assertThat(l.getConsulResponseWithValue("kiwi-flat-greeting").orElseThrow().getIndex())
                .isEqualTo(BigInteger.valueOf(greeting.getModifyIndex()));
        assertThat(a.putValue("kiwi-flat-max-flags", "x", -1L)).isTrue(); // 2^64-1, sent unsigned
        assertThat(Long.toUnsignedString(b.getValue("kiwi-flat-max-flags").orElseThrow().getFlags()))
                .isEqualTo("18446744073709551615");
        assertThat(b.getValue("kiwi-flat-missing")).isEmpty();
        var stale = ImmutableQueryOptions.builder().consistencyMode(ConsistencyMode.STALE).build();
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                b.getValue("kiwi-flat-greeting", stale).flatMap(Value::getValueAsString)).contains("hello beacon"));

        // CAS: create-only, a wrong index refused, the current one accepted once
        assertThat(a.putValue("kiwi-flat-cas", "v1", 0, cas(0))).isTrue();
        assertThat(b.putValue("kiwi-flat-cas", "again", 0, cas(0))).isFalse();
        Value v1 = l.getValue("kiwi-flat-cas").orElseThrow();
        assertThat(b.putValue("kiwi-flat-cas", "wrong", 0, cas(v1.getModifyIndex() + 1000))).isFalse();
        assertThat(a.getValue("kiwi-flat-cas")).contains(v1);
        assertThat(b.putValue("kiwi-flat-cas", "v2", 7, cas(v1.getModifyIndex()))).isTrue();
        Value v2 = a.getValue("kiwi-flat-cas").orElseThrow();
        assertThat(v2.getValueAsString(StandardCharsets.UTF_8)).contains("v2");
        assertThat(v2.getFlags()).isEqualTo(7L);
        assertThat(v2.getCreateIndex()).isEqualTo(v1.getCreateIndex());
        assertThat(v2.getModifyIndex()).isGreaterThan(v1.getModifyIndex());
        assertThat(a.putValue("kiwi-flat-cas", "v3", 0, cas(v1.getModifyIndex()))).isFalse();

        // recurse and keys on a prefix, sorted by key
        List<Value> values = b.getValues("kiwi-flat-");
        assertThat(values).extracting(Value::getKey)
                .containsExactly("kiwi-flat-cas", "kiwi-flat-greeting", "kiwi-flat-max-flags");
        assertThat(b.getKeys("kiwi-flat-"))
                .containsExactly("kiwi-flat-cas", "kiwi-flat-greeting", "kiwi-flat-max-flags");
        assertThat(l.getConsulResponseWithValues("kiwi-flat-").getIndex()).isEqualTo(BigInteger.valueOf(
                values.stream().mapToLong(Value::getModifyIndex).max().orElseThrow()));
        assertThat(b.getValues("kiwi-nothing-")).isEmpty();
        assertThat(b.getKeys("kiwi-nothing-")).isEmpty();

        // delete with cas, plain delete, recursive delete
        a.deleteKey("kiwi-flat-cas", ImmutableDeleteOptions.builder().cas(v1.getModifyIndex()).build());
        assertThat(b.getValue("kiwi-flat-cas")).contains(v2);
        a.deleteKey("kiwi-flat-cas", ImmutableDeleteOptions.builder().cas(v2.getModifyIndex()).build());
        assertThat(b.getValue("kiwi-flat-cas")).isEmpty();
        assertThat(l.putValue("kiwi-flatter", "not under kiwi-flat-")).isTrue();
        b.deleteKey("kiwi-flat-greeting");
        assertThat(l.getKeys("kiwi-flat-")).containsExactly("kiwi-flat-max-flags");
        a.deleteKeys("kiwi-flat-");
        assertThat(l.getValues("kiwi-flat-")).isEmpty();
        assertThat(b.getValueAsString("kiwi-flatter")).contains("not under kiwi-flat-");
    }

    @Test
    void keyPutWithoutAValueReadsBackWithoutAValue() {
        assertThat(viaFollowerA.keyValueClient().putValue("kiwi-empty")).isTrue();
        Value empty = viaFollowerB.keyValueClient().getValue("kiwi-empty").orElseThrow();
        assertThat(empty.getValue()).isEmpty();
    }

    @Test
    void transactionAppliesAllOperationsAtOneIndex() {
        ConsulResponse<TxResponse> response = viaFollowerA.keyValueClient().performTransaction(
                Operation.builder(Verb.SET).key("kiwi-txn-a").value("one").build(),
                Operation.builder(Verb.SET).key("kiwi-txn-b").value("two").flags(5L).build());

        TxResponse tx = response.getResponse();
        assertThat(tx.errors()).isEmpty();
        assertThat(tx.results()).hasSize(2);
        Value a = tx.results().get(0).get("KV");
        Value b = tx.results().get(1).get("KV");
        assertThat(a.getKey()).isEqualTo("kiwi-txn-a");
        assertThat(b.getKey()).isEqualTo("kiwi-txn-b");
        assertThat(b.getFlags()).isEqualTo(5L);
        assertThat(a.getModifyIndex()).isPositive().isEqualTo(b.getModifyIndex());

        KeyValueClient reader = viaFollowerB.keyValueClient();
        assertThat(reader.getValueAsString("kiwi-txn-a")).contains("one");
        assertThat(reader.getValueAsString("kiwi-txn-b")).contains("two");
        assertThat(reader.getValue("kiwi-txn-a").orElseThrow().getModifyIndex()).isEqualTo(a.getModifyIndex());

        // A get and a check-index with the right index succeed and read back inside the transaction.
        TxResponse read = viaLeader.keyValueClient().performTransaction(
                Operation.builder(Verb.CHECK_INDEX).key("kiwi-txn-a").index(BigInteger.valueOf(a.getModifyIndex()))
                        .build(),
                Operation.builder(Verb.GET).key("kiwi-txn-b").build()).getResponse();
        assertThat(read.errors()).isEmpty();
        assertThat(read.results()).hasSize(2);
        assertThat(read.results().get(1).get("KV").getValueAsString(StandardCharsets.UTF_8)).contains("two");
    }

    @Test
    void failingCheckIndexRollsBackTheWholeTransaction() {
        KeyValueClient kv = viaFollowerB.keyValueClient();
        assertThat(kv.putValue("kiwi-txn-fail-a", "original")).isTrue();
        Value before = kv.getValue("kiwi-txn-fail-a").orElseThrow();

        ConsulException failure = catchThrowableOfType(ConsulException.class, () -> kv.performTransaction(
                Operation.builder(Verb.SET).key("kiwi-txn-fail-new").value("must not exist").build(),
                Operation.builder(Verb.SET).key("kiwi-txn-fail-a").value("overwritten").build(),
                Operation.builder(Verb.CHECK_INDEX).key("kiwi-txn-fail-a")
                        .index(BigInteger.valueOf(before.getModifyIndex() + 1000)).build()));

        assertThat(failure).isNotNull();
        assertThat(failure.getCode()).isEqualTo(409);
        assertThat(failure.getMessage()).contains("\"Errors\":[", "\"OpIndex\":2");
        // The client reports the refusal to its callback on its own thread, possibly after the call has returned.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(invalidRequests).singleElement().asString().contains("409"));
        invalidRequests.clear();

        KeyValueClient reader = viaFollowerA.keyValueClient();
        assertThat(reader.getValue("kiwi-txn-fail-new")).isEmpty();
        assertThat(reader.getValue("kiwi-txn-fail-a")).contains(before);
        assertThat(reader.getKeys("kiwi-txn-fail-")).containsExactly("kiwi-txn-fail-a");
    }

    @Test
    void kvCacheOnAFlatPrefixSeesWritesThroughAnotherServerAndIgnoresWritesOutsideIt() throws Exception {
        watchPrefix("kiwi-watch-", "kiwi-elsewhere", "kiwi-watchers");
    }

    @Test
    void kvCacheOnAFolderSeesWritesThroughAnotherServerAndIgnoresWritesOutsideIt() throws Exception {
        watchPrefix("kiwi/watch/", "kiwi/elsewhere", "kiwi/watchers");
    }

    /**
     * A KVCache on follower A over {@code prefix}; {@code outside} is elsewhere, {@code sibling} shares the prefix's
     * text except its last character, so it is not under it either.
     */
    private void watchPrefix(String prefix, String outside, String sibling) throws Exception {
        assertThat(viaLeader.keyValueClient().putValue(prefix + "a", "1")).isTrue();

        List<Map<String, Value>> snapshots = new CopyOnWriteArrayList<>();
        try (KVCache cache = KVCache.newCache(viaFollowerA.keyValueClient(), prefix, WATCH_SECONDS)) {
            cache.addListener(snapshots::add);
            cache.start();
            assertThat(cache.awaitInitialized(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> !snapshots.isEmpty());
            assertThat(strings(snapshots.get(0))).containsExactly(Map.entry(prefix + "a", "1"));

            // A put through another server wakes the blocking query on follower A.
            assertThat(viaFollowerB.keyValueClient().putValue(prefix + "b", "2")).isTrue();
            Value b = viaLeader.keyValueClient().getValue(prefix + "b").orElseThrow();
            await().atMost(WAIT).untilAsserted(() -> assertThat(strings(last(snapshots)))
                    .containsOnly(Map.entry(prefix + "a", "1"), Map.entry(prefix + "b", "2")));
            await().atMost(WAIT).until(() -> BigInteger.valueOf(b.getModifyIndex())
                    .equals(cache.getMapWithMetadata().getIndex()));

            // Writes outside the prefix do not move the prefix's index, so the cache takes neither a new snapshot nor
            // a new index.
            int count = snapshots.size();
            BigInteger index = cache.getMapWithMetadata().getIndex();
            assertThat(viaFollowerB.keyValueClient().putValue(outside, "x")).isTrue();
            assertThat(viaLeader.keyValueClient().putValue(sibling, "y")).isTrue();
            await().during(Duration.ofSeconds(3)).atMost(WAIT).untilAsserted(() -> {
                assertThat(snapshots).hasSize(count);
                assertThat(cache.getMapWithMetadata().getIndex()).isEqualTo(index);
            });

            // A delete inside the prefix is seen too.
            viaFollowerB.keyValueClient().deleteKey(prefix + "a");
            await().atMost(WAIT).untilAsserted(() -> assertThat(strings(last(snapshots)))
                    .containsOnly(Map.entry(prefix + "b", "2")));
            assertThat(cache.getMapWithMetadata().getIndex()).isGreaterThan(index);
        }
        assertThat(cachePollingErrors).as("cache polling errors").isEmpty();
    }

    private static ImmutablePutOptions cas(long index) {
        return ImmutablePutOptions.builder().cas(index).build();
    }

    private static Map<String, Value> last(List<Map<String, Value>> snapshots) {
        return snapshots.isEmpty() ? Map.of() : snapshots.get(snapshots.size() - 1);
    }

    private static Map<String, String> strings(Map<String, Value> snapshot) {
        // By the full key: KVCache's own map keys are relative to the last "/" of its root path.
        return snapshot.values().stream().collect(Collectors.toMap(Value::getKey,
                v -> v.getValueAsString(StandardCharsets.UTF_8).orElse("")));
    }
}
