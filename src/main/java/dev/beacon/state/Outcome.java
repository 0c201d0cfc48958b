package dev.beacon.state;

import java.util.List;

/**
 * The result of applying one command: the Raft index it was applied at, whether it took effect, and why not.
 * {@code success == false} with a null error is an ordinary refusal, such as a failed compare-and-set.
 * A transaction also carries the entries its operations return, or the errors that rolled it back.
 */
public record Outcome(long index, boolean success, String error, List<TxnResult> results, List<TxnError> txnErrors) {

    public Outcome {
        results = List.copyOf(results);
        txnErrors = List.copyOf(txnErrors);
    }

    public Outcome(long index, boolean success, String error) {
        this(index, success, error, List.of(), List.of());
    }

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
