package dev.beacon.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PrefixIndexTest {

    private static String randomName(Random random) {
        StringBuilder name = new StringBuilder();
        for (int i = random.nextInt(5); i > 0; i--) {
            name.append("ab/".charAt(random.nextInt(3)));
        }
        return name.toString();
    }

    @Test
    void findsTheLongestPrefixLikeAScanWould() {
        Random random = new Random(3L);
        for (int round = 0; round < 500; round++) {
            Map<String, Access> rules = new HashMap<>();
            for (int i = random.nextInt(12); i > 0; i--) {
                rules.put(randomName(random), Access.values()[random.nextInt(Access.values().length)]);
            }
            PrefixIndex index = new PrefixIndex(rules);
            for (int probe = 0; probe < 30; probe++) {
                String name = randomName(random);
                String longest = rules.keySet().stream().filter(name::startsWith)
                        .max((x, y) -> Integer.compare(x.length(), y.length())).orElse(null);
                assertThat(index.longestMatch(name)).as("%s in %s", name, rules)
                        .isEqualTo(longest == null ? null : rules.get(longest));
            }
        }
    }

    @Test
    void anyStartsWithLooksAtTheSortedRange() {
        String[] sorted = {"a/x", "b", "b/c", "c/"};
        Arrays.sort(sorted);
        assertThat(PrefixIndex.anyStartsWith(sorted, "b/")).isTrue();
        assertThat(PrefixIndex.anyStartsWith(sorted, "a/")).isTrue();
        assertThat(PrefixIndex.anyStartsWith(sorted, "c/")).isTrue();
        assertThat(PrefixIndex.anyStartsWith(sorted, "c/d")).isFalse();
        assertThat(PrefixIndex.anyStartsWith(sorted, "a/y")).isFalse();
        assertThat(PrefixIndex.anyStartsWith(sorted, "")).isTrue();
        assertThat(PrefixIndex.anyStartsWith(new String[0], "")).isFalse();
    }
}
