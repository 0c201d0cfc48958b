package dev.beacon.acl;

/** A token's merged policies: each check asks the matching rule, or the fallback when none applies. */
final class CompiledPermissions implements Permissions {
    private static final String ALL_INTENTIONS = "*";

    private final RuleTable keys;
    private final RuleTable services;
    private final RuleTable intentions;
    private final RuleTable nodes;
    private final RuleTable sessions;
    private final RuleTable agents;
    private final RuleTable events;
    private final RuleTable queries;
    /** The unlabelled rules; null where no policy gave one. */
    private final Access operator;
    private final Access acl;
    private final Access keyring;
    private final Access mesh;
    private final Access peering;
    private final Permissions fallback;

    CompiledPermissions(PolicyMerger merged, Permissions fallback) {
        this.keys = merged.table(Resource.KEY);
        this.services = merged.table(Resource.SERVICE);
        this.intentions = merged.intentions();
        this.nodes = merged.table(Resource.NODE);
        this.sessions = merged.table(Resource.SESSION);
        this.agents = merged.table(Resource.AGENT);
        this.events = merged.table(Resource.EVENT);
        this.queries = merged.table(Resource.QUERY);
        this.operator = merged.global(GlobalResource.OPERATOR);
        this.acl = merged.global(GlobalResource.ACL);
        this.keyring = merged.global(GlobalResource.KEYRING);
        this.mesh = merged.global(GlobalResource.MESH);
        this.peering = merged.global(GlobalResource.PEERING);
        this.fallback = fallback;
    }

    @Override
    public boolean isManagement() {
        return false;
    }

    @Override
    public boolean keyRead(String key) {
        Access rule = keys.lookup(key);
        return rule == null ? fallback.keyRead(key) : rule.grants(Access.READ);
    }

    @Override
    public boolean keyList(String prefix) {
        Access rule = keys.lookup(prefix);
        return rule == null ? fallback.keyList(prefix) : rule.grants(Access.LIST);
    }

    @Override
    public boolean keyWrite(String key) {
        Access rule = keys.lookup(key);
        return rule == null ? fallback.keyWrite(key) : rule.grants(Access.WRITE);
    }

    @Override
    public boolean keyWritePrefix(String prefix) {
        Decision decision = keys.writePrefix(prefix);
        return decision == Decision.DEFAULT ? fallback.keyWritePrefix(prefix) : decision == Decision.ALLOW;
    }

    @Override
    public boolean serviceRead(String name) {
        Access rule = services.lookup(name);
        return rule == null ? fallback.serviceRead(name) : rule.grants(Access.READ);
    }

    @Override
    public boolean serviceWrite(String name) {
        Access rule = services.lookup(name);
        return rule == null ? fallback.serviceWrite(name) : rule.grants(Access.WRITE);
    }

    @Override
    public boolean serviceReadAll() {
        Decision decision = services.allRead();
        return decision == Decision.DEFAULT ? fallback.serviceReadAll() : decision == Decision.ALLOW;
    }

    @Override
    public boolean intentionRead(String service) {
        if (ALL_INTENTIONS.equals(service)) {
            Decision decision = intentions.anyRead();
            return decision == Decision.DEFAULT ? fallback.intentionRead(service) : decision == Decision.ALLOW;
        }
        Access rule = intentions.lookup(service);
        return rule == null ? fallback.intentionRead(service) : rule.grants(Access.READ);
    }

    @Override
    public boolean intentionWrite(String service) {
        if (ALL_INTENTIONS.equals(service)) {
            Decision decision = intentions.allWrite();
            return decision == Decision.DEFAULT ? fallback.intentionWrite(service) : decision == Decision.ALLOW;
        }
        Access rule = intentions.lookup(service);
        return rule == null ? fallback.intentionWrite(service) : rule.grants(Access.WRITE);
    }

    @Override
    public boolean nodeRead(String name) {
        Access rule = nodes.lookup(name);
        return rule == null ? fallback.nodeRead(name) : rule.grants(Access.READ);
    }

    @Override
    public boolean nodeWrite(String name) {
        Access rule = nodes.lookup(name);
        return rule == null ? fallback.nodeWrite(name) : rule.grants(Access.WRITE);
    }

    @Override
    public boolean nodeReadAll() {
        Decision decision = nodes.allRead();
        return decision == Decision.DEFAULT ? fallback.nodeReadAll() : decision == Decision.ALLOW;
    }

    @Override
    public boolean sessionRead(String node) {
        Access rule = sessions.lookup(node);
        return rule == null ? fallback.sessionRead(node) : rule.grants(Access.READ);
    }

    @Override
    public boolean sessionWrite(String node) {
        Access rule = sessions.lookup(node);
        return rule == null ? fallback.sessionWrite(node) : rule.grants(Access.WRITE);
    }

    @Override
    public boolean agentRead(String node) {
        Access rule = agents.lookup(node);
        return rule == null ? fallback.agentRead(node) : rule.grants(Access.READ);
    }

    @Override
    public boolean agentWrite(String node) {
        Access rule = agents.lookup(node);
        return rule == null ? fallback.agentWrite(node) : rule.grants(Access.WRITE);
    }

    @Override
    public boolean eventRead(String name) {
        Access rule = events.lookup(name);
        return rule == null ? fallback.eventRead(name) : rule.grants(Access.READ);
    }

    @Override
    public boolean eventWrite(String name) {
        Access rule = events.lookup(name);
        return rule == null ? fallback.eventWrite(name) : rule.grants(Access.WRITE);
    }

    @Override
    public boolean queryRead(String name) {
        Access rule = queries.lookup(name);
        return rule == null ? fallback.queryRead(name) : rule.grants(Access.READ);
    }

    @Override
    public boolean queryWrite(String name) {
        Access rule = queries.lookup(name);
        return rule == null ? fallback.queryWrite(name) : rule.grants(Access.WRITE);
    }

    @Override
    public boolean operatorRead() {
        return operator == null ? fallback.operatorRead() : operator.grants(Access.READ);
    }

    @Override
    public boolean operatorWrite() {
        return operator == null ? fallback.operatorWrite() : operator.grants(Access.WRITE);
    }

    @Override
    public boolean aclRead() {
        return acl == null ? fallback.aclRead() : acl.grants(Access.READ);
    }

    @Override
    public boolean aclWrite() {
        return acl == null ? fallback.aclWrite() : acl.grants(Access.WRITE);
    }

    @Override
    public boolean keyringRead() {
        return keyring == null ? fallback.keyringRead() : keyring.grants(Access.READ);
    }

    @Override
    public boolean keyringWrite() {
        return keyring == null ? fallback.keyringWrite() : keyring.grants(Access.WRITE);
    }

    @Override
    public boolean meshRead() {
        Access rule = mesh != null ? mesh : operator;
        return rule == null ? fallback.meshRead() : rule.grants(Access.READ);
    }

    @Override
    public boolean meshWrite() {
        Access rule = mesh != null ? mesh : operator;
        return rule == null ? fallback.meshWrite() : rule.grants(Access.WRITE);
    }

    @Override
    public boolean peeringRead() {
        Access rule = peering != null ? peering : operator;
        return rule == null ? fallback.peeringRead() : rule.grants(Access.READ);
    }

    @Override
    public boolean peeringWrite() {
        Access rule = peering != null ? peering : operator;
        return rule == null ? fallback.peeringWrite() : rule.grants(Access.WRITE);
    }
}
