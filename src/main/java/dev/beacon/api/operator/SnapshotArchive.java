package dev.beacon.api.operator;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Consul's snapshot file: a gzipped tar of {@code meta.json} (Raft's snapshot metadata), {@code state.bin} (the
 * state; here Beacon's own snapshot format) and {@code SHA256SUMS} of the two, which {@code consul snapshot save}
 * checks after downloading and {@code consul snapshot restore} uploads as it is.
 */
final class SnapshotArchive {
    static final String META = "meta.json";
    static final String STATE = "state.bin";
    static final String SUMS = "SHA256SUMS";
    private static final int FILE_MODE = 0600;

    private SnapshotArchive() {
    }

    /** Writes the archive of {@code state} (a file holding a Beacon snapshot taken at {@code index}, {@code term}). */
    static void write(OutputStream target, Path state, long index, long term) throws IOException {
        long size = Files.size(state);
        byte[] meta = ("{\"Version\":1,\"ID\":\"" + term + "-" + index + "-beacon\",\"Index\":" + index
                + ",\"Term\":" + term + ",\"Peers\":null,\"Configuration\":{\"Servers\":[]},"
                + "\"ConfigurationIndex\":0,\"Size\":" + size + "}\n").getBytes(StandardCharsets.UTF_8);
        MessageDigest stateSum = sha256();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(target))) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            put(tar, META, meta.length);
            tar.write(meta);
            tar.closeArchiveEntry();
            put(tar, STATE, size);
            try (InputStream in = new DigestInputStream(Files.newInputStream(state), stateSum)) {
                in.transferTo(tar);
            }
            tar.closeArchiveEntry();
            byte[] sums = (hex(sha256().digest(meta)) + "  " + META + "\n" + hex(stateSum.digest()) + "  " + STATE
                    + "\n").getBytes(StandardCharsets.UTF_8);
            put(tar, SUMS, sums.length);
            tar.write(sums);
            tar.closeArchiveEntry();
            tar.finish();
        }
    }

    /**
     * The Beacon snapshot inside an archive, its sums checked, read up to {@code limit} bytes.
     *
     * @throws IOException          if it is not a whole archive, a file is missing or unexpected, or a sum differs
     * @throws StateTooLargeException if {@code state.bin} holds more than {@code limit} bytes
     */
    static byte[] read(byte[] archive, int limit) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                new BufferedInputStream(new ByteArrayInputStream(archive))))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (!entry.getName().equals(META) && !entry.getName().equals(STATE)
                        && !entry.getName().equals(SUMS)) {
                    throw new IOException("unexpected file \"" + entry.getName() + "\" in snapshot");
                }
                byte[] content = tar.readNBytes(limit + 1);
                if (entry.getName().equals(STATE) && content.length > limit) {
                    throw new StateTooLargeException();
                }
                files.put(entry.getName(), content);
            }
        }
        for (String name : new String[] {META, STATE, SUMS}) {
            if (!files.containsKey(name)) {
                throw new IOException("file missing for \"" + name + "\"");
            }
        }
        verify(new String(files.get(SUMS), StandardCharsets.UTF_8), files);
        return files.get(STATE);
    }

    /** Whether the bytes start as a gzip stream does. */
    static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    private static void verify(String sums, Map<String, byte[]> files) throws IOException {
        Map<String, String> listed = new HashMap<>();
        for (String line : sums.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" {2}", 2);
            if (parts.length != 2) {
                throw new IOException("bad line in " + SUMS + ": " + line);
            }
            listed.put(parts[1].trim(), parts[0]);
        }
        for (String name : new String[] {META, STATE}) {
            String expected = listed.get(name);
            if (expected == null) {
                throw new IOException("list missing hash for \"" + name + "\"");
            }
            if (!expected.equalsIgnoreCase(hex(sha256().digest(files.get(name))))) {
                throw new IOException("hash check failed for \"" + name + "\"");
            }
        }
    }

    private static void put(TarArchiveOutputStream tar, String name, long size) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(FILE_MODE);
        tar.putArchiveEntry(entry);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** {@code state.bin} larger than a restore may be. */
    static final class StateTooLargeException extends IOException {
        StateTooLargeException() {
            super("state too large");
        }
    }
}
