package dev.beacon.etcd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * etcd names members and clusters by uint64 ids printed in hex. Beacon has no such ids, so it derives them from
 * names every server already agrees on: a member's id from its node name, the cluster's from the datacenter. A
 * hash (not a counter or a random pick) keeps an id the same across restarts and the same on every server that
 * computes it, with nothing to store or replicate.
 * <p>
 * The id is the first 8 bytes of SHA-256 of a prefixed name (the prefix keeps a node named like its datacenter
 * from sharing the cluster's id), with the top bit set. etcd prints ids with {@code strconv.FormatUint(id, 16)},
 * which does not pad: a real etcd shows 15-digit ids now and then. Setting the top bit makes every id print as
 * exactly 16 lowercase hex digits, sort as text the way etcd sorts them as numbers (it lists members by id), and
 * never be 0, which etcd reserves for "no member" (raft.None).
 */
public final class EtcdMemberIds {
    private EtcdMemberIds() {
    }

    /** The etcd member id of the server with this node name, e.g. {@code "c5f0d1f2a3b4c5d6"}. */
    public static String memberId(String nodeName) {
        return Long.toHexString(hash("member/" + nodeName));
    }

    /** The value of X-Etcd-Cluster-ID for the cluster of this datacenter. */
    public static String clusterId(String datacenter) {
        return Long.toHexString(hash("cluster/" + datacenter));
    }

    private static long hash(String name) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        long id = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            id = (id << 8) | (digest[i] & 0xff);
        }
        return id | Long.MIN_VALUE;
    }
}
