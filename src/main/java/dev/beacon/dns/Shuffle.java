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
        int n = items.size();
        int k = Math.min(limit, n);
        if (k * 4 <= n) {
            return sample(items, k, random);
        }
        List<T> copy = new ArrayList<>(items);
        // Partial Fisher-Yates: the first k slots end up a uniform random k-subset in random order.
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            T swap = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, swap);
        }
        return copy.subList(0, k);
    }

    /** Few out of many: draw indexes until k distinct ones came up (each draw is new with odds above 3/4). */
    private static <T> List<T> sample(List<T> items, int k, RandomGenerator random) {
        int[] chosen = new int[k];
        List<T> picked = new ArrayList<>(k);
        while (picked.size() < k) {
            int index = random.nextInt(items.size());
            if (!contains(chosen, picked.size(), index)) {
                chosen[picked.size()] = index;
                picked.add(items.get(index));
            }
        }
        return picked;
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }
}
