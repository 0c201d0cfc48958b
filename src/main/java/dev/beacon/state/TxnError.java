package dev.beacon.state;

/** Why operation {@code opIndex} of a transaction failed, in Consul's words. */
public record TxnError(int opIndex, String what) {
}
