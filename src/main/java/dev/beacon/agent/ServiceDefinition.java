package dev.beacon.agent;

import java.util.List;
import java.util.Map;

import dev.beacon.state.ServiceExtras;

/**
 * A service as registered with this agent, with the checks that come with it. {@code extras} is absent (null) in
 * definitions saved before Beacon kept them, and then none.
 *
 * @param token the ACL token it was registered with (empty for none): the agent keeps the catalog in step with it
 *              as that token, as Consul's agents do. A secret: never part of {@link #toString}.
 */
public record ServiceDefinition(String id, String name, List<String> tags, String address, int port,
                                Map<String, String> meta, boolean enableTagOverride, ServiceExtras extras,
                                List<CheckDefinition> checks, String token) {

    public ServiceDefinition {
        token = token == null ? "" : token;
        address = address == null ? "" : address;
        tags = List.copyOf(tags);
        meta = Map.copyOf(meta);
        extras = extras == null ? ServiceExtras.NONE : extras;
        checks = List.copyOf(checks);
    }

    /** The same service with the tags the catalog holds, for a service whose tags the catalog may override. */
    ServiceDefinition withTags(List<String> catalogTags) {
        return new ServiceDefinition(id, name, catalogTags, address, port, meta, enableTagOverride, extras, checks,
                token);
    }

    @Override
    public String toString() {
        return "ServiceDefinition[id=" + id + ", name=" + name + ", tags=" + tags + ", address=" + address + ", port="
                + port + ", checks=" + checks + "]";
    }
}
