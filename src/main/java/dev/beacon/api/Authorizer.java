package dev.beacon.api;

/**
 * The second stage of the pipeline: whether the request's token may {@link Route#access()} the route's
 * {@link Route#resource()}. ACLs (issue 14) plug in here.
 */
public interface Authorizer {
    /** @throws ApiException 403 "Permission denied" when the token may not */
    void authorize(ApiRequest request);
}
