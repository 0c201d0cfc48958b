package dev.beacon.agent;

/**
 * Whether the agent may make a catalog write of its own (anti-entropy, a check's new result, a restored
 * registration) with the token the registration carried: with ACLs on, a write its token may not make is left out,
 * as Consul's agents leave it ("blocked by ACLs"), and tried again on the next sync.
 */
public interface SyncAccess {
    /** ACLs off: the agent writes what it has. */
    SyncAccess OPEN = new SyncAccess() {
        @Override
        public boolean mayWriteService(String token, String service) {
            return true;
        }

        @Override
        public boolean mayWriteNode(String token) {
            return true;
        }
    };

    /**
     * @param token   the registration's token; empty for none, and then the agent token acts
     * @param service the service's name
     */
    boolean mayWriteService(String token, String service);

    /** Node-level checks: node write on this agent's node. */
    boolean mayWriteNode(String token);
}
