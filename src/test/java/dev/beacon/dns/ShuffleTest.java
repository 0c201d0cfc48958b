package dev.beacon.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ShuffleTest {
    private static final List<Integer> THOUSAND = IntStream.range(0, 1000).boxed().toList();

    @Test
    void aFewOutOfManyAreDistinctAndEveryEntryGetsPicked() {
        Random random = new Random(3);
        Set<Integer> seen = new HashSet<>();
        for (int round = 0; round < 3000; round++) {
            List<Integer> three = Shuffle.pick(THOUSAND, 3, random);
            assertThat(three).hasSize(3).doesNotHaveDuplicates();
            seen.addAll(three);
        }
        assertThat(seen).hasSizeGreaterThan(990);
    }

    @Test
    void aLimitAboveTheSizeGivesEveryEntryInSomeOrder() {
        Random random = new Random(5);
        Set<List<Integer>> orders = new HashSet<>();
        for (int round = 0; round < 20; round++) {
            List<Integer> all = Shuffle.pick(List.of(1, 2, 3, 4), 10, random);
            assertThat(all).containsExactlyInAnyOrder(1, 2, 3, 4);
            orders.add(all);
        }
        assertThat(orders).hasSizeGreaterThan(1);
        assertThat(Shuffle.pick(List.of(), 3, random)).isEmpty();
    }
}
