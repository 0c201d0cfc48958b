package dev.beacon.agent;

import java.util.List;
import java.util.Map;

/** A service as registered with this agent, with the checks that come with it. */
public record ServiceDefinition(String id, String name, List<String> tags, String address, int port,
                                Map<String, String> meta, boolean enableTagOverride, List<CheckDefinition> checks) {

    public ServiceDefinition {
        address = address == null ? "" : address;
        tags = List.copyOf(tags);
        meta = Map.copyOf(meta);
        checks = List.copyOf(checks);
    }
}
