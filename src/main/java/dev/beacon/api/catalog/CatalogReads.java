package dev.beacon.api.catalog;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.Caller;
import dev.beacon.state.CatalogView;
import dev.beacon.state.Query;
import dev.beacon.state.Table;
import org.springframework.stereotype.Component;

/**
 * The read every catalog and health route makes: a catalog slice with the request's consistency and blocking
 * options, answered with its index. A null from the renderer is a 404 that still carries the index, as Consul
 * answers for an unknown node, so that a blocking client can wait for the node to appear. What the caller's token
 * may not read is left out before rendering ({@link CatalogAcl}).
 */
@Component
public final class CatalogReads {
    private final BlockingQueries queries;

    public CatalogReads(BlockingQueries queries) {
        this.queries = queries;
    }

    public CompletionStage<ApiResponse> read(ApiRequest request, String node, String service, Set<Table> tables,
                                             Function<CatalogView, Object> render) {
        return read(request, new Query.CatalogSlice(node, service, tables), CatalogAcl::filter, render);
    }

    /** The service instances alone, for a listing of service names: ACLs filter them by service name only. */
    public CompletionStage<ApiResponse> readServiceNames(ApiRequest request, Function<CatalogView, Object> render) {
        return read(request, new Query.CatalogSlice(null, null, EnumSet.of(Table.SERVICES)),
                CatalogAcl::filterServiceNames, render);
    }

    private CompletionStage<ApiResponse> read(ApiRequest request, Query.CatalogSlice slice,
                                              BiFunction<CatalogView, Caller, CatalogAcl.Visible> acl,
                                              Function<CatalogView, Object> render) {
        return queries.read(request.read(), slice).thenApply(result -> {
            CatalogAcl.Visible visible = acl.apply(result.value(), request.caller());
            Object body = render.apply(visible.view());
            return (body == null ? ApiResponse.notFound(result.index()) : ApiResponse.read(body, result.index()))
                    .filteredByAcls(visible.dropped());
        });
    }

    /**
     * The name a prefix route's path ends with, e.g. the service of {@code /v1/health/service/<name>}. Consul
     * refuses an empty one, which would otherwise select every node or service.
     *
     * @param what what the name names, for the message, e.g. "service name"
     */
    public static String name(ApiRequest request, String what) {
        if (request.tail().isEmpty()) {
            throw ApiException.badRequest("Missing " + what);
        }
        return request.tail();
    }
}
