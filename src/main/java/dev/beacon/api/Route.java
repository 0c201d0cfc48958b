package dev.beacon.api;

import java.util.concurrent.CompletionStage;

/**
 * One {@code /v1} route: what it serves, what an ACL rule must grant for it, and its handler.
 *
 * @param method   the HTTP method
 * @param path     the path; one ending in {@code /} is a prefix, and the rest of the path is the request's tail
 * @param resource the ACL resource the route reads or writes
 * @param access   whether it reads or writes that resource
 * @param maxBody  the largest body accepted, in bytes (0: the route takes no body)
 * @param handler  what it does: parses its body, executes, and says what to render
 */
public record Route(String method, String path, Resource resource, Access access, int maxBody, Handler handler) {
    /** Consul refuses request bodies over 512 KiB (its KV value and transaction limits). */
    public static final int MAX_BODY = 512 * 1024;

    public boolean isPrefix() {
        return path.endsWith("/");
    }

    /**
     * The method and path decide which route this is; the generated hashCode would also hash the handler and go
     * through method handles, which a profile of a fresh server's answers showed under {@link ApiMetrics}' lookup.
     */
    @Override
    public int hashCode() {
        return 31 * method.hashCode() + path.hashCode();
    }

    /** How a route appears in logs and metrics, e.g. {@code GET /v1/kv/}. */
    public String name() {
        return method + " " + path;
    }

    /** The ACL resources of Consul's rule language that the routes touch. */
    public enum Resource { KEY, NODE, SERVICE, SESSION, EVENT, AGENT, OPERATOR, ACL, QUERY, NONE }

    public enum Access { READ, WRITE }

    @FunctionalInterface
    public interface Handler {
        CompletionStage<ApiResponse> handle(ApiRequest request);
    }
}
