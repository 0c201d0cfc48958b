package dev.beacon.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.xbill.DNS.Name;

/**
 * What a name under the domain asks for, following Consul's forms:
 * <ul>
 *   <li>{@code <service>.service[.<dc>]}, {@code <tag>.<service>.service[.<dc>]},
 *       {@code _<service>._<tag|tcp>[.service][.<dc>]} (RFC 2782; {@code _tcp} means any tag)</li>
 *   <li>{@code <node>.node[.<dc>]}</li>
 *   <li>{@code <query name or id>.query[.<dc>]} or {@code _<query name or id>._<protocol>.query[.<dc>]}, a
 *       prepared query</li>
 *   <li>{@code <hex address>.addr[.<dc>]}, the SRV target of an instance with its own IP address</li>
 *   <li>the domain itself, for SOA and NS</li>
 * </ul>
 * A datacenter may also be written {@code <dc>.dc}. Labels are lower-cased; anything else is {@link Kind#UNKNOWN}.
 *
 * @param kind       what is looked up
 * @param name       the service, node or hex address; empty for the apex
 * @param tag        the tag filter, or null for none
 * @param datacenter the datacenter named, or null for this one
 */
public record Lookup(Kind kind, String name, String tag, String datacenter) {
    private static final Set<String> KINDS = Set.of("service", "node", "addr", "query");

    public enum Kind { APEX, SERVICE, NODE, ADDR, QUERY, UNKNOWN }

    static final Lookup APEX = new Lookup(Kind.APEX, "", null, null);
    static final Lookup UNKNOWN = new Lookup(Kind.UNKNOWN, "", null, null);

    /** Parses a name already known to be under {@code domain}. */
    public static Lookup parse(Name qname, Name domain) {
        int count = qname.labels() - domain.labels();
        List<String> labels = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            labels.add(qname.getLabelString(i).toLowerCase(Locale.ROOT));
        }
        if (labels.isEmpty()) {
            return APEX;
        }
        int n = labels.size();
        if (KINDS.contains(labels.get(n - 1))) {
            return of(labels.get(n - 1), labels.subList(0, n - 1), null);
        }
        if (n >= 2 && KINDS.contains(labels.get(n - 2))) {
            return of(labels.get(n - 2), labels.subList(0, n - 2), labels.get(n - 1));
        }
        if (n >= 3 && labels.get(n - 1).equals("dc") && KINDS.contains(labels.get(n - 3))) {
            return of(labels.get(n - 3), labels.subList(0, n - 3), labels.get(n - 2));
        }
        if (n >= 2 && labels.get(0).startsWith("_") && labels.get(1).startsWith("_")) {
            // RFC 2782 without the "service" label, which Consul makes optional there:
            // _<service>._<tag|tcp>[.<dc>[.dc]]
            List<String> rest = labels.subList(2, n);
            if (rest.isEmpty()) {
                return service(labels.subList(0, 2), null);
            }
            if (rest.size() == 1 || rest.size() == 2 && rest.get(1).equals("dc")) {
                return service(labels.subList(0, 2), rest.get(0));
            }
        }
        return UNKNOWN;
    }

    private static Lookup of(String kind, List<String> parts, String datacenter) {
        if (parts.isEmpty()) {
            return UNKNOWN;
        }
        return switch (kind) {
            case "service" -> service(parts, datacenter);
            case "node" -> new Lookup(Kind.NODE, String.join(".", parts), null, datacenter);
            case "query" -> parts.size() == 2 && parts.get(0).startsWith("_") && parts.get(1).startsWith("_")
                    // RFC 2782: _<query name or id>._<protocol>.query
                    ? new Lookup(Kind.QUERY, parts.get(0).substring(1), null, datacenter)
                    : new Lookup(Kind.QUERY, String.join(".", parts), null, datacenter);
            default -> parts.size() == 1 ? new Lookup(Kind.ADDR, parts.get(0), null, datacenter) : UNKNOWN;
        };
    }

    private static Lookup service(List<String> parts, String datacenter) {
        int n = parts.size();
        if (n == 2 && parts.get(0).startsWith("_") && parts.get(1).startsWith("_")) {
            String tag = parts.get(1).substring(1);
            return new Lookup(Kind.SERVICE, parts.get(0).substring(1), tag.equals("tcp") ? null : tag, datacenter);
        }
        String tag = n == 1 ? null : String.join(".", parts.subList(0, n - 1));
        return new Lookup(Kind.SERVICE, parts.get(n - 1), tag, datacenter);
    }
}
