package dev.beacon.state;

/**
 * One command being applied: the tables it writes, the Raft index and leader's entry time it is applied at, and
 * where it records what it changed.
 */
record Applying(StoreTables tables, long index, long time, Changes changes) {

    /** The same entry, recording its changes elsewhere (a transaction publishes them only if it commits). */
    Applying recordingInto(Changes other) {
        return new Applying(tables, index, time, other);
    }

    /** Applies another command as part of this one, at the same index and time. */
    Outcome apply(Command command) {
        return CommandRegistry.COMMANDS.apply(command, this);
    }

    KvTable kv() {
        return tables.kv();
    }

    Catalog catalog() {
        return tables.catalog();
    }

    SessionTable sessions() {
        return tables.sessions();
    }

    AclTable acl() {
        return tables.acl();
    }

    PreparedQueryTable preparedQueries() {
        return tables.preparedQueries();
    }
}
