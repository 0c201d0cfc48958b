package dev.beacon.api.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import dev.beacon.testing.BeaconNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code consul snapshot save} and {@code restore} over HTTP between two separate clusters: the file is Consul's
 * archive (meta.json, state.bin, SHA256SUMS, read here with a tar library); everything saved on one cluster is
 * restored on a fresh one (whose log is shorter, so it first moves its index on), byte for byte but for the last
 * applied index, and what the fresh one held before is gone. A file that is not a snapshot, or whose sums do not
 * match, changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotApiIT {
    private static final int LAST_INDEX_START = 8;
    private static final int LAST_INDEX_END = 16;
    /** An empty event list, the index it was cleared through, no staged restore, no prepared query. */
    private static final int HISTORY_TAIL = 4 + 8 + 4 + 4;
    private BeaconNode saved;
    private BeaconNode fresh;
    private BeaconNode smallEntries;
    private Path savedData;

    @BeforeAll
    void start(@TempDir Path dir) {
        savedData = dir.resolve("a");
        // Anti-entropy would soon put the fresh server's own node back after the restore: not within this test.
        saved = new BeaconNode("saved", "127.0.0.1", TestCluster.freePort(), List.of(), dir.resolve("a"))
                .with("beacon.agent.sync-interval", "1h").start();
        fresh = new BeaconNode("fresh", "127.0.0.2", TestCluster.freePort(), List.of(), dir.resolve("b"))
                .with("beacon.agent.sync-interval", "1h").start();
        // Raft entries of 16 KiB: a snapshot of more than that is restored in parts.
        smallEntries = new BeaconNode("small", "127.0.0.3", TestCluster.freePort(), List.of(), dir.resolve("c"))
                .with("beacon.agent.sync-interval", "1h").with("beacon.raft.max-entry-size", "16KB").start();
        saved.cluster().whenReady().join();
        fresh.cluster().whenReady().join();
        smallEntries.cluster().whenReady().join();
    }

    @AfterAll
    void stop() {
        saved.close();
        fresh.close();
        smallEntries.close();
    }

    @Test
    void aSnapshotSavedOnOneClusterRestoresTheSameStateOnAnother() throws Exception {
        for (int i = 0; i < 150; i++) {
            assertThat(put(saved, "/v1/kv/app/key-" + i + "?flags=" + i, "value " + i).body()).isEqualTo("true");
        }
        put(saved, "/v1/kv/app/gone", "x");
        assertThat(saved.send(HttpRequest.newBuilder(saved.uri("/v1/kv/app/gone")).DELETE().build()).body())
                .isEqualTo("true");
        assertThat(put(saved, "/v1/catalog/register", "{\"Node\":\"db1\",\"Address\":\"10.0.0.1\","
                + "\"Service\":{\"ID\":\"pg-1\",\"Service\":\"pg\",\"Port\":5432,\"Weights\":{\"Passing\":3,"
                + "\"Warning\":1}},\"Check\":{\"CheckID\":\"pg-1:c\",\"ServiceID\":\"pg-1\",\"Status\":\"warning\"}}")
                .body()).isEqualTo("true");
        String session = put(saved, "/v1/session/create", "{\"Name\":\"holder\"}").body()
                .replaceAll(".*\"ID\":\"([^\"]+)\".*", "$1").trim();
        assertThat(put(saved, "/v1/kv/app/lock?acquire=" + session, "me").body()).isEqualTo("true");
        put(fresh, "/v1/kv/only-on-fresh", "x");

        HttpResponse<byte[]> save = saved.sendBytes(HttpRequest.newBuilder(saved.uri("/v1/snapshot")).build());
        assertThat(save.statusCode()).isEqualTo(200);
        byte[] file = save.body();
        Map<String, byte[]> archive = untar(file);
        assertThat(archive.keySet()).containsExactly("meta.json", "state.bin", "SHA256SUMS");
        assertThat(new String(archive.get("SHA256SUMS"), StandardCharsets.UTF_8)).isEqualTo(
                sha256(archive.get("meta.json")) + "  meta.json\n" + sha256(archive.get("state.bin")) + "  state.bin\n");
        byte[] original = archive.get("state.bin");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (Stream<Path> left = Files.list(savedData.resolve("tmp"))) {
                assertThat(left).as("the save's temporary file, deleted once sent").isEmpty();
            }
        });
        long savedIndex = Long.parseLong(save.headers().firstValue("X-Consul-Index").orElseThrow());
        assertThat(new String(archive.get("meta.json"), StandardCharsets.UTF_8))
                .contains("\"Index\":" + savedIndex + ",", "\"Size\":" + original.length + "}");

        HttpResponse<String> restore = fresh.send(HttpRequest.newBuilder(fresh.uri("/v1/snapshot"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build());
        assertThat(restore.statusCode()).as(restore.body()).isEqualTo(200);

        byte[] copy = untar(fresh.sendBytes(HttpRequest.newBuilder(fresh.uri("/v1/snapshot")).build()).body())
                .get("state.bin");
        // The restored state ends with an empty KV event history (a restore ends it), the index it was cleared
        // through, no staged restore and the prepared queries (none): HISTORY_TAIL bytes where the original has its
        // events.
        int restoredState = copy.length - HISTORY_TAIL;
        assertThat(Arrays.copyOfRange(copy, LAST_INDEX_END, restoredState))
                .as("the same state, but for the index it was applied at and the KV event history")
                .isEqualTo(Arrays.copyOfRange(original, LAST_INDEX_END, restoredState));
        assertThat(Arrays.copyOfRange(copy, restoredState, restoredState + 4)).as("no events").containsOnly(0);
        assertThat(Arrays.copyOfRange(copy, 0, LAST_INDEX_START))
                .isEqualTo(Arrays.copyOfRange(original, 0, LAST_INDEX_START));
        assertThat(fresh.get("/v1/kv/only-on-fresh").statusCode()).isEqualTo(404);
        assertThat(fresh.get("/v1/kv/app/key-149?raw").body()).isEqualTo("value 149");
        assertThat(fresh.get("/v1/kv/app/lock").body()).contains("\"Session\":\"" + session + "\"");
        assertThat(fresh.get("/v1/health/service/pg").body()).contains("\"Passing\":3", "\"Status\":\"warning\"");

        assertThat(put(fresh, "/v1/kv/after", "1").body()).isEqualTo("true");
        long after = Long.parseLong(fresh.get("/v1/kv/after").headers().firstValue("X-Consul-Index").orElseThrow());
        assertThat(after).as("writes go on above the restored indexes").isGreaterThan(savedIndex);
    }

    @Test
    void aSnapshotLargerThanARaftEntryIsRestoredInParts() throws Exception {
        String kibibyte = "v".repeat(1024);
        for (int i = 0; i < 100; i++) {
            assertThat(put(saved, "/v1/kv/big/key-" + i, kibibyte + i).body()).isEqualTo("true");
        }
        HttpResponse<byte[]> save = saved.sendBytes(HttpRequest.newBuilder(saved.uri("/v1/snapshot")).build());
        byte[] original = untar(save.body()).get("state.bin");
        assertThat(original.length).as("several 16 KiB entries' worth").isGreaterThan(4 * 16 * 1024);

        HttpResponse<String> restore = smallEntries.send(HttpRequest.newBuilder(smallEntries.uri("/v1/snapshot"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(save.body())).build());
        assertThat(restore.statusCode()).as(restore.body()).isEqualTo(200);

        byte[] copy = untar(smallEntries.sendBytes(HttpRequest.newBuilder(smallEntries.uri("/v1/snapshot"))
                .build()).body()).get("state.bin");
        int restoredState = copy.length - HISTORY_TAIL;
        assertThat(Arrays.copyOfRange(copy, LAST_INDEX_END, restoredState))
                .isEqualTo(Arrays.copyOfRange(original, LAST_INDEX_END, restoredState));
        assertThat(smallEntries.get("/v1/kv/big/key-99?raw").body()).isEqualTo(kibibyte + 99);
    }

    @Test
    void aFileThatIsNotASnapshotOrFailsItsSumsIsA400AndChangesNothing() throws Exception {
        put(fresh, "/v1/kv/kept", "still here");

        HttpResponse<String> garbage = fresh.send(HttpRequest.newBuilder(fresh.uri("/v1/snapshot"))
                .PUT(HttpRequest.BodyPublishers.ofString("this is not a snapshot")).build());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).startsWith("Invalid snapshot");

        byte[] archive = saved.sendBytes(HttpRequest.newBuilder(saved.uri("/v1/snapshot")).build()).body();
        Map<String, byte[]> files = untar(archive);
        files.get("state.bin")[20] ^= 1;
        HttpResponse<String> tampered = fresh.send(HttpRequest.newBuilder(fresh.uri("/v1/snapshot"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(tar(files))).build());
        assertThat(tampered.statusCode()).isEqualTo(400);
        assertThat(tampered.body()).contains("hash check failed for \"state.bin\"");
        assertThat(fresh.get("/v1/kv/kept?raw").body()).isEqualTo("still here");
    }

    private static HttpResponse<String> put(BeaconNode node, String path, String body) {
        return node.send(HttpRequest.newBuilder(node.uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** The files of a gzipped tar, in archive order (read with a library, not with Beacon's own reader). */
    private static Map<String, byte[]> untar(byte[] gzip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                new ByteArrayInputStream(gzip)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                files.put(e.getName(), tar.readAllBytes());
            }
        }
        return files;
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
