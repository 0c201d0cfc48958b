package dev.beacon.state;

/**
 * The tables of the store; each keeps the Raft index of its last change. The code is the stored form
 * ({@link WireCode}): snapshots write the table indexes in code order and forwarded queries name tables by code,
 * so codes stay dense from 0.
 */
public enum Table implements WireCode {
    NODES(0), SERVICES(1), CHECKS(2), KV(3), SESSIONS(4), EVENTS(5), ACL_TOKENS(6), ACL_POLICIES(7), ACL_ROLES(8),
    PREPARED_QUERIES(9);

    private final int code;

    Table(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }
}
