package dev.beacon.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code beacon.dns.*}: the DNS interface, named after Consul's {@code dns_config} (the port is
 * {@code beacon.ports.dns}).
 *
 * @param domain          the domain answered for
 * @param nodeTtl         TTL of node lookups
 * @param serviceTtl      TTL of service lookups by service name; {@code web*} is a prefix, {@code *} every service
 *                        (write keys with brackets: {@code beacon.dns.service-ttl[web*]=10s})
 * @param onlyPassing     leave out instances with a warning check too, not only critical ones
 * @param udpAnswerLimit  most records in a UDP answer to a service lookup (TCP answers have them all)
 * @param enableTruncate  set the TC bit on a UDP answer cut to fit its size, so that clients retry over TCP
 *                        (Consul's {@code enable_truncate}, off by default as there)
 * @param recursors       resolvers ({@code host} or {@code host:port}) for names outside the domain; none: REFUSED
 * @param recursorTimeout how long to wait for one recursor before trying the next
 * @param soa             the SOA record's timers
 * @param tcpIdleTimeout  how long a TCP connection may stay idle
 * @param tcpConnections  TCP connections served at once
 */
@ConfigurationProperties("beacon.dns")
public record DnsProperties(
        @DefaultValue("consul.") String domain,
        @DefaultValue("0s") Duration nodeTtl,
        @DefaultValue Map<String, Duration> serviceTtl,
        @DefaultValue("false") boolean onlyPassing,
        @DefaultValue("3") int udpAnswerLimit,
        @DefaultValue("false") boolean enableTruncate,
        @DefaultValue List<String> recursors,
        @DefaultValue("2s") Duration recursorTimeout,
        @DefaultValue Soa soa,
        @DefaultValue("10s") Duration tcpIdleTimeout,
        @DefaultValue("64") int tcpConnections) {

    /** Consul's defaults: refresh 1h, retry 10m, expire 24h, minimum (negative-caching) TTL 0. */
    public record Soa(@DefaultValue("1h") Duration refresh, @DefaultValue("10m") Duration retry,
                      @DefaultValue("24h") Duration expire, @DefaultValue("0s") Duration minTtl) {
    }
}
