package dev.beacon.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.UnaryOperator;

import dev.beacon.acl.ConfiguredTokens;
import dev.beacon.acl.Permissions;
import dev.beacon.api.Caller;
import dev.beacon.api.acl.Callers;
import dev.beacon.api.catalog.CatalogAcl;
import dev.beacon.api.query.QueryDnsAnswers;
import dev.beacon.api.query.QueryRunner;
import dev.beacon.dns.CatalogSnapshots;
import dev.beacon.dns.DnsHandler;
import dev.beacon.dns.DnsResolver;
import dev.beacon.dns.DnsServer;
import dev.beacon.dns.DnsSettings;
import dev.beacon.dns.PreparedQueryLookup;
import dev.beacon.dns.Recursors;
import dev.beacon.dns.RemoteDatacenters;
import dev.beacon.dns.ServiceTtls;
import dev.beacon.state.CatalogView;
import dev.beacon.state.Store;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** The DNS interface on {@code beacon.client-address} and {@code beacon.ports.dns}, answering from this replica. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DnsProperties.class)
public class DnsConfiguration {
    private static final int DNS_PORT = 53;

    @Bean
    DnsSettings dnsSettings(DnsProperties dns, BeaconProperties beacon) throws TextParseException {
        Name domain = Name.fromString(dns.domain(), Name.root);
        DnsProperties.Soa soa = dns.soa();
        return new DnsSettings(domain, beacon.datacenter(), seconds(dns.nodeTtl()),
                new ServiceTtls(dns.serviceTtl()),
                dns.onlyPassing(),
                new DnsSettings.Soa(seconds(soa.refresh()), seconds(soa.retry()), seconds(soa.expire()),
                        seconds(soa.minTtl())),
                !dns.recursors().isEmpty());
    }

    @Bean
    DnsHandler dnsHandler(DnsSettings settings, DnsProperties dns, Store store, BeaconProperties beacon,
                          Callers callers, ConfiguredTokens tokens, RemoteDatacenters remotes,
                          QueryRunner queries) {
        Recursors recursors = new Recursors(dns.recursors().stream().map(DnsConfiguration::recursor).toList(),
                dns.recursorTimeout());
        return new DnsHandler(new DnsResolver(settings),
                new CatalogSnapshots(store, visibleToDns(beacon, callers, tokens), tokens::changes),
                recursors, remotes, preparedQueries(beacon, callers, tokens, queries), dns.udpAnswerLimit(),
                dns.enableTruncate());
    }

    /**
     * With ACLs on, DNS answers with what its token may read: the DNS token, else the default token, else the
     * anonymous token, as Consul's DNS does. A DNS token that does not resolve shows nothing.
     */
    private static UnaryOperator<CatalogView> visibleToDns(BeaconProperties beacon, Callers callers,
                                                           ConfiguredTokens tokens) {
        if (!beacon.acl().enabled()) {
            return UnaryOperator.identity();
        }
        return view -> {
            Caller caller = callers.of(tokens.dns());
            return CatalogAcl.filter(view, caller == null ? new Caller("", Permissions.DENY_ALL) : caller).view();
        };
    }

    /** Prepared queries run as DNS's token, as its catalog answers are filtered by it. */
    private static PreparedQueryLookup preparedQueries(BeaconProperties beacon, Callers callers,
                                                       ConfiguredTokens tokens, QueryRunner queries) {
        return new QueryDnsAnswers(queries, beacon.acl().enabled() ? () -> callers.of(tokens.dns())
                : () -> Caller.ANYONE, tokens::dns);
    }

    @Bean
    DnsServer dnsServer(DnsHandler handler, DnsProperties dns, BeaconProperties beacon) throws UnknownHostException {
        int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        return new DnsServer(InetAddress.getByName(beacon.clientAddress()), beacon.ports().dns(), handler,
                new DnsServer.Settings(workers, dns.tcpConnections(), dns.tcpIdleTimeout()));
    }

    @Bean
    DnsLifecycle dnsLifecycle(DnsServer server) {
        return new DnsLifecycle(server);
    }

    /** {@code host} or {@code host:port} (an IPv6 address in brackets when it has a port). */
    static InetSocketAddress recursor(String spec) {
        try {
            return parseRecursor(spec);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("beacon.dns.recursors: cannot read \"" + spec + "\" as host[:port]", e);
        }
    }

    private static InetSocketAddress parseRecursor(String spec) {
        if (spec.startsWith("[")) {
            int close = spec.indexOf(']');
            String rest = spec.substring(close + 1);
            int port = rest.startsWith(":") ? Integer.parseInt(rest.substring(1)) : DNS_PORT;
            return new InetSocketAddress(spec.substring(1, close), port);
        }
        int colon = spec.indexOf(':');
        if (colon > 0 && colon == spec.lastIndexOf(':')) {
            return new InetSocketAddress(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)));
        }
        return new InetSocketAddress(spec, DNS_PORT);
    }

    private static long seconds(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a DNS TTL cannot be negative: " + duration);
        }
        return Math.min(duration.toSeconds(), Integer.MAX_VALUE);
    }
}
