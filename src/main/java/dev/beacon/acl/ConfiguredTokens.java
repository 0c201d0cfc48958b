package dev.beacon.acl;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The tokens this server uses on behalf of others, as Consul's agent keeps them: {@code default} for requests that
 * carry none, {@code agent} for the agent's own catalog writes, {@code dns} for DNS answers. They start from
 * configuration and can be replaced while the server runs ({@code PUT /v1/agent/token/<kind>}); an empty one falls
 * back as Consul's do (agent and DNS to the default token, the default token to the anonymous one).
 */
public final class ConfiguredTokens {
    private volatile String defaultToken;
    private volatile String agent;
    private volatile String dns;
    /** Counts replacements, so that what caches an answer filtered by one of these tokens knows to redo it. */
    private final AtomicLong changes = new AtomicLong();

    public ConfiguredTokens(String defaultToken, String agent, String dns) {
        this.defaultToken = orEmpty(defaultToken);
        this.agent = orEmpty(agent);
        this.dns = orEmpty(dns);
    }

    /** The secret a request acts with: its own, or the default token's when it sent none. */
    public String forRequest(String secret) {
        return secret.isEmpty() ? defaultToken : secret;
    }

    /** The agent token's secret; empty if unset (then the default token acts, as for any request). */
    public String agent() {
        return agent;
    }

    /** The DNS token's secret; empty if unset (then the default token acts, as for any request). */
    public String dns() {
        return dns;
    }

    public void setDefault(String secret) {
        defaultToken = orEmpty(secret);
        changes.incrementAndGet();
    }

    public void setAgent(String secret) {
        agent = orEmpty(secret);
        changes.incrementAndGet();
    }

    public void setDns(String secret) {
        dns = orEmpty(secret);
        changes.incrementAndGet();
    }

    public long changes() {
        return changes.get();
    }

    private static String orEmpty(String secret) {
        return secret == null ? "" : secret;
    }
}
