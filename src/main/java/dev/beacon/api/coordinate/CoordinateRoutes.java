package dev.beacon.api.coordinate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.api.catalog.CatalogReads;
import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.WanMember;
import dev.beacon.state.CatalogView;
import dev.beacon.state.Node;
import dev.beacon.state.Table;
import org.springframework.stereotype.Component;

/**
 * Consul's {@code /v1/coordinate}: the servers of every datacenter with their coordinates, and the coordinates of
 * this datacenter's catalog nodes. Coordinates come from this server's own WAN pings ({@link Coordinate}); a node
 * with none (one registered through the catalog, which has no agent to measure) is left out, as Consul leaves out
 * nodes whose agents never sent one. The node lists block on the catalog's nodes, so a blocking client wakes when
 * nodes come and go, not when a round trip changes.
 */
@Component
class CoordinateRoutes implements ApiRoutes {
    private static final String WAN_AREA = "wan";
    private final Datacenters datacenters;
    private final CatalogReads reads;

    CoordinateRoutes(Datacenters datacenters, CatalogReads reads) {
        this.datacenters = datacenters;
        this.reads = reads;
    }

    record NodeCoordinate(@JsonProperty("Node") String node, @JsonProperty("Segment") String segment,
                          @JsonProperty("Partition") String partition, @JsonProperty("Coord") Coordinate coord) {
    }

    record ServerCoordinate(@JsonProperty("Node") String node, @JsonProperty("Coord") Coordinate coord) {
    }

    record DatacenterCoordinates(@JsonProperty("Datacenter") String datacenter, @JsonProperty("AreaID") String areaId,
                                 @JsonProperty("Coordinates") List<ServerCoordinate> coordinates) {
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.get("/v1/coordinate/datacenters", Route.Resource.NONE, this::datacenters)
                .get("/v1/coordinate/nodes", Route.Resource.NODE, this::nodes)
                .get("/v1/coordinate/node/", Route.Resource.NODE, this::node);
    }

    private CompletionStage<ApiResponse> datacenters(ApiRequest request) {
        Map<String, List<WanMember>> byDatacenter = datacenters.members().stream()
                .collect(Collectors.groupingBy(WanMember::datacenter));
        List<DatacenterCoordinates> answer = new ArrayList<>();
        for (String dc : datacenters.byDistance()) {
            List<ServerCoordinate> servers = byDatacenter.getOrDefault(dc, List.of()).stream()
                    .filter(WanMember::alive)
                    .map(m -> new ServerCoordinate(m.wanName(), Coordinate.measured(m.rttMillis())))
                    .filter(s -> s.coord() != null)
                    .toList();
            answer.add(new DatacenterCoordinates(dc, WAN_AREA, servers));
        }
        return CompletableFuture.completedFuture(ApiResponse.json(answer));
    }

    private CompletionStage<ApiResponse> nodes(ApiRequest request) {
        Function<String, Coordinate> coordinates = localCoordinates();
        return reads.read(request, null, null, EnumSet.of(Table.NODES), view -> coordinatesOf(view, coordinates));
    }

    /** One node's coordinates (a list, as Consul answers); 404 when it has none. */
    private CompletionStage<ApiResponse> node(ApiRequest request) {
        String name = CatalogReads.name(request, "node name");
        Function<String, Coordinate> coordinates = localCoordinates();
        return reads.read(request, name, null, EnumSet.of(Table.NODES), view -> {
            List<NodeCoordinate> found = coordinatesOf(view, coordinates);
            return found.isEmpty() ? null : found;
        });
    }

    private static List<NodeCoordinate> coordinatesOf(CatalogView view, Function<String, Coordinate> coordinates) {
        return view.nodes().stream()
                .map(Node::name)
                .map(name -> {
                    Coordinate coord = coordinates.apply(name);
                    return coord == null ? null : new NodeCoordinate(name, "", "default", coord);
                })
                .filter(Objects::nonNull)
                .toList();
    }

    /** This datacenter's servers' coordinates by node name. */
    private Function<String, Coordinate> localCoordinates() {
        Map<String, Double> trips = LocalRoundTrips.of(datacenters);
        return node -> {
            Double rtt = trips.get(node);
            return rtt == null ? null : Coordinate.measured(rtt);
        };
    }
}
