package dev.beacon.api;

/**
 * The second stage of the pipeline: resolves the request's token to a {@link Caller}, and refuses it at once when
 * the token may not {@link Route#access()} the route's {@link Route#resource()} at all. What a token may do with
 * the particular key, service or node a request names is checked by its handler, through the caller.
 */
public interface Authorizer {
    /**
     * @return the request with its caller
     * @throws ApiException 403 {@code ACL not found} for an unknown token, or {@code Permission denied}
     */
    ApiRequest authorize(ApiRequest request);
}
