package dev.beacon.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * Every {@code /v1} request goes through the same stages, in Consul's order: parse the request once, route it to
 * its datacenter, authorize its token for the route, execute the route's handler. Rendering the answer is the
 * web adapter's last step ({@link ApiRenderer}). Failures at any stage become answers here, through one mapping.
 */
public final class ApiPipeline {
    private final RouteTable routes;
    private final DatacenterRouting datacenters;
    private final Authorizer authorizer;
    private final String localDatacenter;

    public ApiPipeline(RouteTable routes, DatacenterRouting datacenters, Authorizer authorizer,
                       String localDatacenter) {
        this.routes = routes;
        this.datacenters = datacenters;
        this.authorizer = authorizer;
        this.localDatacenter = localDatacenter;
    }

    /** The route of a request, before its body is read: the route bounds the body. */
    public RouteTable.Match match(String method, String rawPath) {
        return routes.find(method, rawPath);
    }

    public RouteTable routes() {
        return routes;
    }

    /**
     * Runs a matched request through the stages. Never fails: every failure is answered.
     *
     * @param rawPath the path as sent
     * @param query  the raw query string (after {@code ?}), or null
     * @param header a request header by name, or null
     * @param body   the body, already bounded by {@link Route#maxBody()}
     */
    public CompletionStage<ApiResponse> handle(RouteTable.Match match, String rawPath, String query,
                                               UnaryOperator<String> header, byte[] body) {
        try {
            ApiRequest request = parse(match, rawPath, query, header, body);
            CompletionStage<ApiResponse> forwarded = datacenters.forward(request);
            if (forwarded != null) {
                return answered(forwarded);
            }
            ApiRequest authorized = authorizer.authorize(request);
            return answered(match.route().handler().handle(authorized));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ApiErrors.answer(e));
        }
    }

    /** Answers a failure before the route was found or its body read (404, 405, 413). */
    public static ApiResponse failed(Throwable failure) {
        return ApiErrors.answer(failure);
    }

    private ApiRequest parse(RouteTable.Match match, String rawPath, String query, UnaryOperator<String> header,
                             byte[] body) {
        QueryParams params = QueryParams.parse(query);
        String dc = params.get("dc");
        return new ApiRequest(match.route(), rawPath, query, match.tail(), params,
                dc == null || dc.isEmpty() ? localDatacenter : dc, token(params, header),
                ReadOptions.from(params), params.get("filter"), body, Caller.ANYONE);
    }

    /** Consul reads the token from X-Consul-Token, then a bearer Authorization header, then ?token=. */
    private static String token(QueryParams params, UnaryOperator<String> header) {
        String token = header.apply("X-Consul-Token");
        if (token == null || token.isEmpty()) {
            String authorization = header.apply("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = authorization.substring(7).trim();
            }
        }
        if (token == null || token.isEmpty()) {
            token = params.get("token");
        }
        return token == null ? "" : token;
    }

    private static CompletionStage<ApiResponse> answered(CompletionStage<ApiResponse> stage) {
        return stage.handle((response, failure) -> failure == null ? response : ApiErrors.answer(failure));
    }
}
