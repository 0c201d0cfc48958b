package dev.beacon.state;

import java.util.Collection;
import java.util.function.Function;

/**
 * Items by id, with a second key that is unique too (a token's secret, a policy's or role's name), kept together
 * through the journal. Uniqueness of the second key is the caller's to check before it puts.
 */
final class KeyedTwice<V> {
    private final JournaledMap<String, V> byId;
    private final JournaledMap<String, String> idsBySecondKey;
    private final Function<V, String> id;
    private final Function<V, String> secondKey;

    KeyedTwice(Journal journal, Function<V, String> id, Function<V, String> secondKey) {
        this.byId = JournaledMap.of(journal);
        this.idsBySecondKey = JournaledMap.of(journal);
        this.id = id;
        this.secondKey = secondKey;
    }

    V get(String itemId) {
        return byId.get(itemId);
    }

    V bySecondKey(String key) {
        String itemId = idsBySecondKey.get(key);
        return itemId == null ? null : byId.get(itemId);
    }

    Collection<V> all() {
        return byId.view().values();
    }

    void put(V item) {
        V prior = byId.put(id.apply(item), item);
        if (prior != null && !secondKey.apply(prior).equals(secondKey.apply(item))) {
            idsBySecondKey.remove(secondKey.apply(prior));
        }
        idsBySecondKey.put(secondKey.apply(item), id.apply(item));
    }

    void remove(String itemId) {
        V prior = byId.remove(itemId);
        if (prior != null) {
            idsBySecondKey.remove(secondKey.apply(prior));
        }
    }

    void clear() {
        byId.clear();
        idsBySecondKey.clear();
    }
}
