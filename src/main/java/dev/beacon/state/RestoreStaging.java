package dev.beacon.state;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A snapshot being restored in parts, for one larger than a Raft entry may be: {@link Command.RestoreStage} adds
 * the parts in order, {@link Command.RestoreCommit} restores the whole. One restore at a time: a first part of
 * another replaces an unfinished one (its client gave up or failed). Part of the replicated state and of
 * snapshots, so a server that installs a snapshot half way through a restore still has the parts before it.
 */
final class RestoreStaging {
    /** One restore's parts so far. */
    record Staged(String restoreId, int parts, byte[] bytes) {
    }

    private String restoreId;
    private int parts;
    private ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** Adds a part; refused (with why) unless it is the next part of the restore in progress, or a first part. */
    String add(Command.RestoreStage part) {
        if (part.part() == 0) {
            restoreId = part.restoreId();
            parts = 0;
            bytes = new ByteArrayOutputStream();
        } else if (!part.restoreId().equals(restoreId) || part.part() != parts) {
            return "restore " + part.restoreId() + " part " + part.part() + " is out of order or was replaced by "
                    + "another restore";
        }
        bytes.writeBytes(part.bytes());
        parts++;
        return null;
    }

    /**
     * The whole snapshot of a restore with all its parts. The staging forgets what it held either way: a commit
     * that does not match ends the restore, which its client then reports as failed.
     *
     * @return null if this restore is not the one staged, or has another number of parts or of bytes
     */
    byte[] take(Command.RestoreCommit commit) {
        boolean whole = commit.restoreId().equals(restoreId) && commit.parts() == parts
                && commit.length() == bytes.size();
        byte[] staged = whole ? bytes.toByteArray() : null;
        clear();
        return staged;
    }

    void clear() {
        restoreId = null;
        parts = 0;
        bytes = new ByteArrayOutputStream();
    }

    /** Bytes held, for the footprint. */
    long size() {
        return bytes.size();
    }

    List<Staged> snapshot() {
        return restoreId == null ? List.of() : List.of(new Staged(restoreId, parts, bytes.toByteArray()));
    }

    void restore(List<Staged> staged) {
        clear();
        for (Staged s : staged) {
            restoreId = s.restoreId();
            parts = s.parts();
            bytes.writeBytes(s.bytes());
        }
    }
}
