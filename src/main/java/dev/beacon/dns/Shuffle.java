package dev.beacon.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Random order for load spreading, without shuffling a thousand entries to answer with three. */
final class Shuffle {
    private Shuffle() {
    }

    /** {@code limit} entries (or all, if fewer), chosen uniformly at random, in random order. */
    static <T> List<T> pick(List<T> items, int limit, RandomGenerator random) {
        List<T> copy = new ArrayList<>(items);
        int n = copy.size();
        int k = Math.min(limit, n);
        // Partial Fisher-Yates: the first k slots end up a uniform random k-subset in random order.
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            T swap = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, swap);
        }
        return copy.subList(0, k);
    }
}
