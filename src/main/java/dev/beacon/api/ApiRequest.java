package dev.beacon.api;

/**
 * One {@code /v1} request, parsed once before any stage runs.
 *
 * @param route      the route it matched
 * @param rawPath    the path as sent (still percent-encoded)
 * @param rawQuery   the query as sent (after {@code ?}), or null
 * @param tail       the percent-decoded path after the route's prefix ("" for an exact route), e.g. a KV key
 * @param params     the query parameters
 * @param datacenter {@code ?dc=}, or this server's datacenter when absent
 * @param token      the ACL token from {@code X-Consul-Token}, {@code Authorization: Bearer} or {@code ?token=};
 *                   empty when none was sent
 * @param read       consistency and blocking ({@code ?stale}, {@code ?consistent}, {@code ?index}, {@code ?wait})
 * @param filter     {@code ?filter=}, or null; the endpoints that take one parse it ({@code ItemFilters})
 * @param body       the request body, already bounded by the route's limit; empty when none was sent
 * @param caller     who sent it, once the authorize stage has resolved the token ({@link Caller#ANYONE} before)
 */
public record ApiRequest(Route route, String rawPath, String rawQuery, String tail, QueryParams params,
                         String datacenter, String token, ReadOptions read, String filter, byte[] body,
                         Caller caller) {

    /** Never the token: it is a secret, and a request may end up in a log. */
    @Override
    public String toString() {
        return "ApiRequest[" + route.name() + " " + tail + "]";
    }

    /** The path and query as sent, which a forwarded request is sent with; built only when one is. */
    public String target() {
        return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    }

    /** The same request, sent by {@code resolved}. */
    public ApiRequest by(Caller resolved) {
        return new ApiRequest(route, rawPath, rawQuery, tail, params, datacenter, token, read, filter, body, resolved);
    }

    /** The tail that names what the route acts on; a 400 with Consul's {@code missing} message when empty. */
    public String name(String missing) {
        if (tail.isEmpty()) {
            throw ApiException.badRequest(missing);
        }
        return tail;
    }
}
