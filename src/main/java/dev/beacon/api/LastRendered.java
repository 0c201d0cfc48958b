package dev.beacon.api;

import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The body of the last value a route rendered, reused while readers keep asking for an equal value: a change
 * watched by thousands of blocking queries is rendered once instead of once per watcher (rendering was a third of
 * a wake's CPU). Values are compared in full, not by index, so that no write path can make it answer old content.
 */
public final class LastRendered<S> {
    /** Larger bodies are not kept: the value and its body would stay in memory until the next read. */
    static final int MAX_KEPT_BYTES = 1 << 20;

    private final Function<S, byte[]> render;
    private final BiPredicate<S, S> same;
    private volatile Entry<S> last;

    /**
     * @param render how a value becomes its body
     * @param same   whether two values render alike
     */
    public LastRendered(Function<S, byte[]> render, BiPredicate<S, S> same) {
        this.render = render;
        this.same = same;
    }

    /** The body for {@code value}. */
    public byte[] of(S value) {
        Entry<S> entry = last;
        if (entry != null && same.test(entry.value, value)) {
            return entry.body;
        }
        byte[] body = render.apply(value);
        last = body.length <= MAX_KEPT_BYTES ? new Entry<>(value, body) : null;
        return body;
    }

    private record Entry<S>(S value, byte[] body) {
    }
}
