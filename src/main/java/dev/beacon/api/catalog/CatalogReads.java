package dev.beacon.api.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import dev.beacon.api.BlockingQueries;
import dev.beacon.api.ConsulHeaders;
import dev.beacon.api.ReadOptions;
import dev.beacon.state.CatalogView;
import dev.beacon.state.Query;
import dev.beacon.state.Table;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The read every catalog and health endpoint makes: a catalog slice with the request's consistency and
 * blocking options, rendered to JSON with the index headers. A null body from the renderer is a 404 with an
 * empty body, as Consul answers for an unknown node.
 */
public final class CatalogReads {
    private final BlockingQueries queries;
    private final ConsulHeaders headers;

    public CatalogReads(BlockingQueries queries, ConsulHeaders headers) {
        this.queries = queries;
        this.headers = headers;
    }

    public CompletableFuture<ResponseEntity<Object>> read(ReadOptions options, String node, String service,
                                                          Set<Table> tables, Function<CatalogView, Object> render) {
        return queries.read(options, new Query.CatalogSlice(node, service, tables)).thenApply(result -> {
            Object body = render.apply(result.value());
            if (body == null) {
                return ResponseEntity.status(HttpStatus.NOT_FOUND).headers(headers.forIndex(result.index())).build();
            }
            return ResponseEntity.ok().headers(headers.forIndex(result.index()))
                    .contentType(MediaType.APPLICATION_JSON).body(body);
        });
    }

    /** Consul's repeated {@code ?tag=}: an instance must have every one. */
    public static List<String> tags(HttpServletRequest request) {
        String[] tags = request.getParameterValues("tag");
        return tags == null ? List.of() : Arrays.asList(tags);
    }
}
