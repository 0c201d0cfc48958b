package dev.beacon.state;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A prepared query (Consul's {@code /v1/query}): a stored service lookup, run by id or by name, that can fail over
 * to other datacenters when no healthy instance is found locally.
 *
 * @param id          its UUID
 * @param name        the name it is executed by (also over DNS, {@code <name>.query.consul}); empty for none, or for
 *                    a template that matches every name
 * @param session     a session it is bound to: destroying the session deletes the query; empty for none
 * @param token       the ACL token it executes with; empty for the caller's
 * @param service     what it looks up
 * @param dnsTtl      the TTL of its DNS answers (a Go duration, e.g. {@code 10s}); empty for the DNS default
 * @param template    how it matches names other than its own; null when it is not a template
 * @param createIndex the index it was created at
 * @param modifyIndex the index it last changed at
 */
public record PreparedQuery(String id, String name, String session, String token, ServiceQuery service,
                            String dnsTtl, Template template, long createIndex, long modifyIndex) {

    public PreparedQuery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        name = Text.orEmpty(name);
        session = Text.orEmpty(session);
        token = Text.orEmpty(token);
        dnsTtl = Text.orEmpty(dnsTtl);
    }

    /**
     * @param service        the service name to look up
     * @param nearestN       fail over to the N datacenters nearest this one when no instance is healthy here
     * @param datacenters    then to these datacenters, in this order
     * @param onlyPassing    whether instances with a warning check are left out too (critical ones always are)
     * @param ignoreCheckIds check ids whose status does not count
     * @param near           a node name (or {@code _agent}) to sort the instances by distance from
     * @param tags           tags an instance must have; a tag starting with {@code !} one it must not have
     * @param nodeMeta       node metadata an instance's node must have
     * @param serviceMeta    service metadata an instance must have
     */
    public record ServiceQuery(String service, int nearestN, List<String> datacenters, boolean onlyPassing,
                               List<String> ignoreCheckIds, String near, List<String> tags,
                               Map<String, String> nodeMeta, Map<String, String> serviceMeta) {
        public ServiceQuery {
            Objects.requireNonNull(service, "service");
            near = Text.orEmpty(near);
            datacenters = List.copyOf(datacenters);
            ignoreCheckIds = List.copyOf(ignoreCheckIds);
            tags = List.copyOf(tags);
            nodeMeta = new TreeMap<>(nodeMeta);
            serviceMeta = new TreeMap<>(serviceMeta);
        }
    }

    /**
     * A template: the query serves every name it matches (Consul's {@code name_prefix_match}: names starting with
     * the query's name, the longest such name winning), with {@code ${name.full}}, {@code ${name.prefix}},
     * {@code ${name.suffix}} and {@code ${match(N)}} of {@code regexp} filled in.
     */
    public record Template(String type, String regexp, boolean removeEmptyTags) {
        public static final String NAME_PREFIX_MATCH = "name_prefix_match";

        public Template {
            Objects.requireNonNull(type, "type");
            regexp = Text.orEmpty(regexp);
        }
    }

    /** The same query at another index. */
    PreparedQuery at(long created, long modified) {
        return new PreparedQuery(id, name, session, token, service, dnsTtl, template, created, modified);
    }
}
