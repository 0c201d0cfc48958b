package dev.beacon.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class EtcdMemberIdsTest {

    @Test
    void anIdIsSixteenLowercaseHexDigitsWithTheTopBitSet() {
        for (int i = 0; i < 1000; i++) {
            String id = EtcdMemberIds.memberId("node-" + i);
            assertThat(id).matches("[89a-f][0-9a-f]{15}");
            assertThat(Long.parseUnsignedLong(id, 16)).isNotZero();
        }
    }

    @Test
    void theSameNameGivesTheSameIdEveryTime() {
        // Pinned: the first 8 bytes of SHA-256("member/server-1") with the top bit set. A change here changes
        // every member id a running cluster has handed out.
        assertThat(EtcdMemberIds.memberId("server-1")).isEqualTo(EtcdMemberIds.memberId("server-1"))
                .isEqualTo(expected("member/server-1"));
        assertThat(EtcdMemberIds.clusterId("dc1")).isEqualTo(expected("cluster/dc1"));
    }

    @Test
    void differentNamesGiveDifferentIds() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(EtcdMemberIds.memberId("node-" + i));
        }
        assertThat(ids).hasSize(10_000);
        assertThat(EtcdMemberIds.memberId("dc1")).isNotEqualTo(EtcdMemberIds.clusterId("dc1"));
    }

    /** An independent computation of the hash, with the JDK's HexFormat. */
    private static String expected(String text) throws RuntimeException {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest[0] |= (byte) 0x80;
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
