package dev.beacon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import javax.net.ssl.SSLException;

import dev.beacon.api.ApiServerRoute;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.DatacenterRouting;
import dev.beacon.api.LocalDatacenter;
import dev.beacon.cluster.ClusterSettings;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.RemoteKvWrites;
import dev.beacon.cluster.RemoteReads;
import dev.beacon.cluster.WanMember;
import dev.beacon.dns.DnsHandler;
import dev.beacon.dns.RemoteDatacenters;
import dev.beacon.wan.WanDns;
import dev.beacon.wan.WanForwarder;
import dev.beacon.wan.WanHttpServer;
import dev.beacon.wan.WanKvWrites;
import dev.beacon.wan.WanPool;
import dev.beacon.wan.WanProber;
import dev.beacon.wan.WanReads;
import dev.beacon.wan.WanTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Other datacenters: the WAN pool of every datacenter's servers, and with the WAN port on ({@code
 * beacon.ports.serf-wan}, 8302; -1 off) its server, its pings and the forwarding of {@code ?dc=} requests. The pool
 * starts from {@code retry-join-wan} and from this datacenter's other servers (at their bind address and this
 * server's WAN port), as Consul's servers join their own datacenter's servers to the WAN pool. With {@code beacon.tls}
 * set, the WAN port speaks TLS and requires a certificate the CA signed from the servers that call it.
 */
@Configuration(proxyBeanMethods = false)
class WanConfiguration {

    @Bean
    WanPool wanPool(ClusterView cluster, BeaconProperties properties) {
        ClusterSettings settings = cluster.settings();
        int port = properties.ports().serfWan();
        WanMember self = new WanMember(settings.nodeName(), settings.datacenter(), properties.bindAddress(),
                Math.max(port, 0), true, 0);
        List<String> join = new ArrayList<>();
        properties.retryJoinWan().forEach(address -> join.add(withPort(address, port)));
        if (port > 0) {
            settings.members().stream().filter(member -> !member.equals(settings.localMember()))
                    .map(member -> withPort(host(member), port))
                    .forEach(join::add);
        }
        return new WanPool(self, join, System::nanoTime);
    }

    /** How this server reaches other WAN ports: over TLS with this server's certificate when beacon.tls is set. */
    @Bean
    WanTransport wanTransport(BeaconProperties properties, ReactorResourceFactory resources) throws SSLException {
        HttpClient client = HttpClient.create(resources.getConnectionProvider()).runOn(resources.getLoopResources());
        if (!properties.tls().enabled()) {
            return WanTransport.plain(client);
        }
        SslManagerBundle managers = TlsStores.bundle(properties.tls()).getManagers();
        return WanTransport.tls(client, SslContextBuilder.forClient()
                .keyManager(managers.getKeyManagerFactory()).trustManager(managers.getTrustManagerFactory()).build());
    }

    @Bean
    DatacenterRouting datacenterRouting(ClusterView cluster, MeterRegistry registry, WanPool pool,
                                        BeaconProperties properties, WanTransport transport) {
        LocalDatacenter local = new LocalDatacenter(cluster.settings().datacenter(), registry);
        return properties.ports().serfWanOn() ? new WanForwarder(local, pool, transport) : local;
    }

    /**
     * No server (a null bean) with the port off: decided at start, not by a bean condition, because the packaged
     * server's bean definitions are fixed at build time (Spring AOT).
     */
    @Bean
    @Nullable
    WanHttpServer wanHttpServer(WanPool pool, ApiServerRoute api, DnsHandler dns, BlockingQueries reads,
                                JsonMapper json, BeaconProperties properties, ReactorResourceFactory resources,
                                ScheduledExecutorService checkScheduler, WanTransport transport) throws SSLException {
        if (!properties.ports().serfWanOn()) {
            return null;
        }
        WanProber prober = new WanProber(pool, json, transport, checkScheduler);
        SslContext tls = null;
        if (properties.tls().enabled()) {
            SslManagerBundle managers = TlsStores.bundle(properties.tls()).getManagers();
            tls = SslContextBuilder.forServer(managers.getKeyManagerFactory())
                    .trustManager(managers.getTrustManagerFactory()).clientAuth(ClientAuth.REQUIRE).build();
        }
        return new WanHttpServer(pool, prober, api, dns, reads, json, resources.getLoopResources(),
                properties.ports().serfWan(), tls);
    }

    /** Other datacenters' data for the UI. */
    @Bean
    RemoteReads remoteReads(WanPool pool, WanTransport transport) {
        return new WanReads(pool, transport);
    }

    /** The UI's key/value writes in other datacenters. */
    @Bean
    RemoteKvWrites remoteKvWrites(WanPool pool, WanTransport transport) {
        return new WanKvWrites(pool, transport);
    }

    /** DNS names in other datacenters, answered by their servers over the WAN port. */
    @Bean
    RemoteDatacenters remoteDatacenters(WanPool pool, BeaconProperties properties, WanTransport transport) {
        return properties.ports().serfWanOn() ? new WanDns(pool, transport) : RemoteDatacenters.NONE;
    }

    /** {@code host} or {@code host:port} (IPv6 in brackets) as {@code host:port}. */
    static String withPort(String address, int defaultPort) {
        String trimmed = address.trim();
        boolean hasPort = trimmed.startsWith("[") ? trimmed.contains("]:")
                : trimmed.indexOf(':') >= 0 && trimmed.indexOf(':') == trimmed.lastIndexOf(':');
        if (hasPort) {
            return trimmed;
        }
        return trimmed.indexOf(':') >= 0 && !trimmed.startsWith("[") ? "[" + trimmed + "]:" + defaultPort
                : trimmed + ":" + defaultPort;
    }

    private static String host(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
    }
}
