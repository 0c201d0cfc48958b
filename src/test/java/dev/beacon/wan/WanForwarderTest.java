package dev.beacon.wan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.Caller;
import dev.beacon.api.LocalDatacenter;
import dev.beacon.api.QueryParams;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.Route;
import dev.beacon.cluster.WanMember;
import dev.beacon.testing.FixedDatacenters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

/** The datacenter stage with another datacenter, against a stand-in for its WAN port ({@link StandInWanPort}). */
class WanForwarderTest {
    private static final Route KV_GET = new Route("GET", "/v1/kv/", Route.Resource.KEY, Route.Access.READ, 0,
            request -> CompletableFuture.completedFuture(ApiResponse.empty()));
    private StandInWanPort remote;
    private List<WanMember> servers;
    private WanForwarder forwarder;

    @BeforeEach
    void start() {
        remote = new StandInWanPort();
        servers = List.of(remote.member("west1", "dc2"));
        forwarder = new WanForwarder(new LocalDatacenter("dc1", new SimpleMeterRegistry()),
                new FixedDatacenters("dc1", List.of("dc1", "dc2"), () -> servers, () -> servers),
                WanTransport.plain(HttpClient.create()));
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    @Test
    void aRequestForAnotherDatacenterGoesAsItCameWithItsTokenAndItsAnswerComesBackWithItsHeaders()
            throws Exception {
        remote.answer(200, "west");
        remote.index("42");
        ApiResponse answer = forwarder.forward(request("dc=dc2&raw", "dc2", "s3cret")).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(remote.seen()).isEqualTo("GET /v1/kv/region?dc=dc2&raw token=s3cret body=");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.bytes(), StandardCharsets.UTF_8)).isEqualTo("west\n");
        assertThat(answer.relayedHeaders()).containsEntry("X-Consul-Index", "42");
    }

    @Test
    void thisDatacentersRequestsRunHereAndAnUnknownOneHasNoPath() {
        assertThat(forwarder.forward(request(null, "dc1", ""))).as("runs here").isNull();
        assertThat(remote.seen()).isNull();
        assertThatThrownBy(() -> forwarder.forward(request("dc=dc9", "dc9", ""))).isInstanceOf(ApiException.class)
                .hasMessage("No path to datacenter");
    }

    private static ApiRequest request(String query, String datacenter, String token) {
        QueryParams params = QueryParams.parse(query);
        return new ApiRequest(KV_GET, "/v1/kv/region", query, "region", params, datacenter, token,
                ReadOptions.from(params), null, new byte[0], Caller.ANYONE);
    }
}
