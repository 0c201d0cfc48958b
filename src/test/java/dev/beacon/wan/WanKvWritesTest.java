package dev.beacon.wan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.ClusterUnavailableException;
import dev.beacon.cluster.DatacenterUnreachableException;
import dev.beacon.cluster.NoLeaderException;
import dev.beacon.cluster.NoSpaceException;
import dev.beacon.cluster.RemoteRefusalException;
import dev.beacon.cluster.WanMember;
import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import dev.beacon.testing.FixedDatacenters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The UI's writes in another datacenter, against a stand-in for that datacenter's WAN port ({@link StandInWanPort})
 * answering as Beacon's {@code /v1/kv} does.
 */
class WanKvWritesTest {
    private StandInWanPort remote;
    private List<WanMember> servers;
    private WanKvWrites writes;

    @BeforeEach
    void start() {
        remote = new StandInWanPort();
        servers = List.of(remote.member("west1", "dc2"));
        writes = new WanKvWrites(new FixedDatacenters("dc1", List.of("dc1", "dc2"), () -> servers, () -> servers),
                WanTransport.plain(HttpClient.create()));
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    @Test
    void aSaveIsAPutWithItsFlagsCheckAndSetAndTheWritersToken() throws Exception {
        // The UI's save: a set that writes nothing when nothing changes, which the other side's PUT is too.
        Outcome outcome = write(new Command.KvSetIfChanged("team/a b", "v".getBytes(StandardCharsets.UTF_8), 3, 7),
                "s3cret");
        assertThat(outcome.success()).isTrue();
        assertThat(remote.seen()).isEqualTo("PUT /v1/kv/team/a%20b?flags=3&cas=7 token=s3cret body=v");
    }

    @Test
    void aFailedCheckAndSetIsAnOutcomeThatDidNotTakeEffect() throws Exception {
        remote.answer(200, "false");
        assertThat(write(new Command.KvSet("k", new byte[0], 0, 0), "").success()).isFalse();
        assertThat(remote.seen()).isEqualTo("PUT /v1/kv/k?flags=0&cas=0 token= body=");
    }

    @Test
    void deletesAreDeletesOfOneKeyWithItsIndexOrOfAFolder() throws Exception {
        write(new Command.KvDelete("team/a", false, 12), "");
        assertThat(remote.seen()).startsWith("DELETE /v1/kv/team/a?cas=12 ");
        write(new Command.KvDelete("team/", true, Command.NO_CAS), "");
        assertThat(remote.seen()).startsWith("DELETE /v1/kv/team/?recurse ");
        write(new Command.KvSet("plain", new byte[0], 0, Command.NO_CAS), "");
        assertThat(remote.seen()).startsWith("PUT /v1/kv/plain?flags=0 ");
    }

    @Test
    void theOtherDatacentersRefusalsAndFailuresKeepTheirMeaning() {
        String denied = "Permission denied: token lacks permission 'key:write' on \"k\"";
        remote.answer(403, denied);
        assertThatThrownBy(() -> write(set(), "t")).hasCauseInstanceOf(RemoteRefusalException.class)
                .cause().hasMessage(denied)
                .satisfies(e -> assertThat(((RemoteRefusalException) e).status()).isEqualTo(403));

        remote.answer(500, "No cluster leader");
        assertThatThrownBy(() -> write(set(), "")).hasCauseInstanceOf(NoLeaderException.class);

        remote.answer(507, "storage quota reached");
        assertThatThrownBy(() -> write(set(), "")).hasCauseInstanceOf(NoSpaceException.class);

        String timedOut = "rpc error making call: timed out waiting for the write to commit";
        remote.answer(500, timedOut);
        assertThatThrownBy(() -> write(set(), "")).hasCauseInstanceOf(ClusterUnavailableException.class)
                .cause().hasMessage(timedOut);
    }

    @Test
    void aServerThatRefusesTheConnectionIsSkippedAndNoServerAtAllIsUnreachable() throws Exception {
        WanMember gone = new WanMember("west2", "dc2", "127.0.0.1", closedPort(), true, 0.5);
        servers = List.of(gone, servers.get(0));
        assertThat(write(set(), "").success()).isTrue();

        servers = List.of(gone);
        assertThatThrownBy(() -> write(set(), "")).hasCauseInstanceOf(DatacenterUnreachableException.class)
                .cause().hasMessageContaining("dc2");
        servers = List.of();
        assertThatThrownBy(() -> write(set(), "")).hasCauseInstanceOf(DatacenterUnreachableException.class);
    }

    private Outcome write(Command command, String token) throws Exception {
        return writes.write("dc2", command, token).get(30, TimeUnit.SECONDS);
    }

    private static Command set() {
        return new Command.KvSet("k", new byte[0], 0, Command.NO_CAS);
    }

    private static int closedPort() {
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).bindNow();
        int port = server.port();
        server.disposeNow();
        return port;
    }
}
