package dev.beacon.fault;

/**
 * One client operation on a register (a KV key), as the client saw it: when it was sent and answered, and how.
 * Values are unique per write, so "the register still holds the value I read" and "its ModifyIndex is the one I
 * read" are the same thing: a Consul CAS by index is checked as a CAS by value.
 *
 * @param kind     what was asked
 * @param key      the register
 * @param expected for a CAS, the value read before it (null: the key was absent)
 * @param value    for a write or CAS, the value written; for a read, the value seen (null: absent)
 * @param invoked  {@link System#nanoTime()} when sent
 * @param completed when answered; ignored for {@link Outcome#UNKNOWN}
 */
public record Op(int client, Kind kind, ReadMode mode, String key, String expected, String value, long invoked,
                 long completed, Outcome outcome) {

    public enum Kind { READ, WRITE, CAS }

    /** Consul's read consistency modes; null for a write. */
    public enum ReadMode { DEFAULT, CONSISTENT, STALE }

    /**
     * OK: done (a CAS that answered true; a read). FAILED: certainly not applied (a CAS that answered false, a
     * refused connection, a 4xx). UNKNOWN: a write that timed out or failed in a way that may still apply it.
     */
    public enum Outcome { OK, FAILED, UNKNOWN }

    public static Op read(int client, ReadMode mode, String key, String seen, long invoked, long completed) {
        return new Op(client, Kind.READ, mode, key, null, seen, invoked, completed, Outcome.OK);
    }

    public static Op write(int client, String key, String value, long invoked, long completed, Outcome outcome) {
        return new Op(client, Kind.WRITE, null, key, null, value, invoked, completed, outcome);
    }

    public static Op cas(int client, String key, String expected, String value, long invoked, long completed,
                         Outcome outcome) {
        return new Op(client, Kind.CAS, null, key, expected, value, invoked, completed, outcome);
    }
}
