package dev.beacon.deploy;

import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.beacon.cluster.ClusterSettings;
import dev.beacon.cluster.RaftTimeouts;
import dev.beacon.config.BeaconProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Reads a deployment's environment variables the way the server does (Spring Boot relaxed binding of
 * {@code BEACON_*}), so a misspelt variable or a retry-join list that does not match bootstrap-expect fails here
 * rather than on a VM or in a pod.
 */
final class BeaconEnvironment {
    /** Every {@code BEACON_*} name the properties record can bind, e.g. {@code BEACON_PORTS_HTTP}. */
    static final Set<String> KNOWN_NAMES = names("BEACON", BeaconProperties.class);

    private BeaconEnvironment() {
    }

    static BeaconProperties bind(Map<String, String> environment) {
        // Named as the process environment is: Spring maps BEACON_ACL_ENABLED to beacon.acl.enabled only then.
        SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new HashMap<>(environment));
        return new Binder(ConfigurationPropertySources.from(source)).bindOrCreate("beacon", BeaconProperties.class);
    }

    /** The cluster membership a server started with these properties would use; throws if inconsistent. */
    static ClusterSettings cluster(BeaconProperties p) {
        return ClusterSettings.of(p.nodeName(), p.datacenter(), p.bindAddress(), p.ports().raft(),
                p.bootstrapExpect(), p.retryJoin(), p.dataDir(), p.raft().segmentSize().toBytes(),
                (int) p.raft().maxEntrySize().toBytes(),
                new RaftTimeouts(p.raft().electionTimeout(), p.raft().heartbeatInterval()));
    }

    private static Set<String> names(String prefix, Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "_" + component.getName().replaceAll("([A-Z])", "_$1").toUpperCase();
            if (component.getType().isRecord()) {
                names.addAll(names(name, component.getType()));
            } else {
                names.add(name);
            }
        }
        return names;
    }
}
