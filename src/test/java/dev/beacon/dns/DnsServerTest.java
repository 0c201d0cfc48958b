package dev.beacon.dns;

import static dev.beacon.dns.DnsFixtures.name;
import static dev.beacon.dns.DnsFixtures.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import dev.beacon.state.CatalogView;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The transport alone, on loopback: one port for UDP and TCP, and everything released on close. */
class DnsServerTest {
    private static final DnsCatalog EMPTY = DnsCatalog.of(new CatalogView(List.of(), List.of(), List.of()), 1);

    private static DnsServer server() {
        DnsSettings settings = new DnsSettings(name("consul."), "dc1", 0, ServiceTtls.none(), false,
                new DnsSettings.Soa(3600, 600, 86400, 0), false);
        DnsHandler handler = new DnsHandler(new DnsResolver(settings), () -> EMPTY, Recursors.none(),
                RemoteDatacenters.NONE, PreparedQueryLookup.NONE, 3, false);
        return new DnsServer(InetAddress.getLoopbackAddress(), 0, handler,
                new DnsServer.Settings(2, 4, Duration.ofMinutes(5)));
    }

    private static Message ask(int port, boolean tcp) throws IOException {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(query("consul.", Type.SOA));
    }

    @Test
    void servesBothTransportsOnOnePortAndFreesThemAndItsConnectionsOnClose() throws IOException {
        DnsServer server = server();
        server.start();
        int port = server.port();
        assertThat(ask(port, false).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ask(port, true).getRcode()).isEqualTo(Rcode.NOERROR);

        try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), port)) {
            idle.setSoTimeout(30_000);
            server.close();
            assertThat(idle.getInputStream().read()).isEqualTo(-1);
        }
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(tcp.getLocalPort()).isEqualTo(udp.getLocalPort());
        }
    }

    @Test
    void connectionsBeyondTheBoundAreClosedWhileTheOthersAreServed() throws IOException {
        DnsServer server = server();
        server.start();
        try {
            Socket[] held = new Socket[4];
            for (int i = 0; i < held.length; i++) {
                held[i] = new Socket(InetAddress.getLoopbackAddress(), server.port());
            }
            try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                extra.setSoTimeout(30_000);
                assertThat(extra.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(ask(server.port(), false).getRcode()).isEqualTo(Rcode.NOERROR);
            for (Socket socket : held) {
                socket.close();
            }
        } finally {
            server.close();
        }
    }
}
