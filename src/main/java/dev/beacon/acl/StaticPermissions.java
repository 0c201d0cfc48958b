package dev.beacon.acl;

/**
 * The permissions without rules: Consul's default policies and the management token.
 *
 * @param allow  the answer to every check other than ACL management
 * @param manage the answer to ACL checks
 */
record StaticPermissions(boolean allow, boolean manage) implements Permissions {

    @Override
    public boolean isManagement() {
        return manage;
    }

    @Override
    public boolean keyRead(String key) {
        return allow;
    }

    @Override
    public boolean keyList(String prefix) {
        return allow;
    }

    @Override
    public boolean keyWrite(String key) {
        return allow;
    }

    @Override
    public boolean keyWritePrefix(String prefix) {
        return allow;
    }

    @Override
    public boolean serviceRead(String name) {
        return allow;
    }

    @Override
    public boolean serviceWrite(String name) {
        return allow;
    }

    @Override
    public boolean serviceReadAll() {
        return allow;
    }

    @Override
    public boolean intentionRead(String service) {
        return allow;
    }

    @Override
    public boolean intentionWrite(String service) {
        return allow;
    }

    @Override
    public boolean nodeRead(String name) {
        return allow;
    }

    @Override
    public boolean nodeWrite(String name) {
        return allow;
    }

    @Override
    public boolean nodeReadAll() {
        return allow;
    }

    @Override
    public boolean sessionRead(String node) {
        return allow;
    }

    @Override
    public boolean sessionWrite(String node) {
        return allow;
    }

    @Override
    public boolean agentRead(String node) {
        return allow;
    }

    @Override
    public boolean agentWrite(String node) {
        return allow;
    }

    @Override
    public boolean eventRead(String name) {
        return allow;
    }

    @Override
    public boolean eventWrite(String name) {
        return allow;
    }

    @Override
    public boolean queryRead(String name) {
        return allow;
    }

    @Override
    public boolean queryWrite(String name) {
        return allow;
    }

    @Override
    public boolean operatorRead() {
        return allow;
    }

    @Override
    public boolean operatorWrite() {
        return allow;
    }

    @Override
    public boolean aclRead() {
        return manage;
    }

    @Override
    public boolean aclWrite() {
        return manage;
    }

    @Override
    public boolean keyringRead() {
        return allow;
    }

    @Override
    public boolean keyringWrite() {
        return allow;
    }

    @Override
    public boolean meshRead() {
        return allow;
    }

    @Override
    public boolean meshWrite() {
        return allow;
    }

    @Override
    public boolean peeringRead() {
        return allow;
    }

    @Override
    public boolean peeringWrite() {
        return allow;
    }
}
