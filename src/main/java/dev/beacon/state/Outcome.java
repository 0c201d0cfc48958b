package dev.beacon.state;

/**
 * The result of applying one command: the Raft index it was applied at, whether it took effect, and why not.
 * {@code success == false} with a null error is an ordinary refusal, such as a failed compare-and-set.
 */
public record Outcome(long index, boolean success, String error) {

    static Outcome ok(long index) {
        return new Outcome(index, true, null);
    }

    static Outcome refused(long index) {
        return new Outcome(index, false, null);
    }

    static Outcome error(long index, String error) {
        return new Outcome(index, false, error);
    }
}
