package dev.beacon.dns;

import java.util.Locale;
import java.util.Objects;

import org.xbill.DNS.Name;

/**
 * What shapes an answer: the domain served, this datacenter, the TTLs, the health filter and the SOA timers
 * (all in seconds).
 *
 * @param domain             the absolute domain answered for, {@code consul.} by default
 * @param datacenter         the only datacenter known; names under another one do not exist
 * @param nodeTtlSeconds     TTL of node lookups
 * @param serviceTtls        TTL of service lookups, per service
 * @param onlyPassing        also leave out instances with a warning check (critical ones are always left out)
 * @param soa                the SOA record's timers
 * @param recursionAvailable whether names outside the domain are forwarded (sets the RA flag)
 */
public record DnsSettings(Name domain, String datacenter, long nodeTtlSeconds, ServiceTtls serviceTtls,
                          boolean onlyPassing, Soa soa, boolean recursionAvailable) {

    public DnsSettings {
        Objects.requireNonNull(domain, "domain");
        if (!domain.isAbsolute()) {
            throw new IllegalArgumentException("the DNS domain must be absolute: " + domain);
        }
        datacenter = datacenter.toLowerCase(Locale.ROOT);
        Objects.requireNonNull(serviceTtls, "serviceTtls");
        Objects.requireNonNull(soa, "soa");
    }

    /** The SOA timers, in seconds; {@code minTtl} is also the SOA record's own TTL (negative caching). */
    public record Soa(long refresh, long retry, long expire, long minTtl) {
    }
}
