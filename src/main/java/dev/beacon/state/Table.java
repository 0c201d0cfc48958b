package dev.beacon.state;

/** The tables of the store; each keeps the Raft index of its last change. */
public enum Table {
    NODES, SERVICES, CHECKS, KV, SESSIONS, EVENTS
}
