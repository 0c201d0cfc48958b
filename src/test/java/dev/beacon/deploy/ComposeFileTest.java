package dev.beacon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.beacon.cluster.ClusterSettings;
import dev.beacon.config.BeaconProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as docker-compose itself reads it: valid, and three servers whose settings, bound the way
 * the server binds them, describe one three-member cluster.
 */
class ComposeFileTest {
    private static final List<String> SERVERS = List.of("beacon-1", "beacon-2", "beacon-3");
    private static Map<String, Object> services;
    private static Map<String, Object> topLevelVolumes;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void resolve() {
        Tool.Result quiet = Tool.run(List.of("docker-compose", "config", "-q"));
        assertThat(quiet.exitCode()).as(quiet.output()).isZero();
        Tool.Result resolved = Tool.run(List.of("docker-compose", "config"));
        assertThat(resolved.exitCode()).as(resolved.output()).isZero();
        Map<String, Object> config = new Yaml().load(resolved.output());
        services = (Map<String, Object>) config.get("services");
        topLevelVolumes = (Map<String, Object>) config.get("volumes");
    }

    @Test
    void threeServersFromTheProjectDockerfile() {
        assertThat(services).containsOnlyKeys(SERVERS);
        for (String name : SERVERS) {
            Map<String, Object> service = service(name);
            assertThat(map(service.get("build")).get("context")).as(name).isEqualTo(Tool.PROJECT.toString());
            assertThat(service.get("hostname")).as(name).isEqualTo(name);
            assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
        }
    }

    @Test
    void everyServerBindsToOneThreeMemberCluster() {
        Set<List<String>> memberLists = new HashSet<>();
        for (String name : SERVERS) {
            Map<String, String> environment = environment(name);
            assertThat(BeaconEnvironment.KNOWN_NAMES).as(name).containsAll(
                    environment.keySet().stream().filter(k -> k.startsWith("BEACON_")).toList());
            BeaconProperties properties = BeaconEnvironment.bind(environment);
            assertThat(properties.nodeName()).isEqualTo(name);
            assertThat(properties.bindAddress()).isEqualTo(name);
            assertThat(properties.bootstrapExpect()).isEqualTo(3);
            ClusterSettings cluster = BeaconEnvironment.cluster(properties);
            assertThat(cluster.localMember()).isEqualTo(name + ":8300");
            memberLists.add(cluster.members());
        }
        assertThat(memberLists).containsExactly(List.of("beacon-1:8300", "beacon-2:8300", "beacon-3:8300"));
    }

    @Test
    void firstServerPublishesHttpAndDns() {
        List<Object> ports = list(service("beacon-1").get("ports"));
        Set<String> published = new HashSet<>();
        for (Object port : ports) {
            Map<String, Object> p = map(port);
            published.add(p.get("published") + "->" + p.get("target") + "/" + p.get("protocol"));
        }
        assertThat(published).containsExactlyInAnyOrder("8500->8500/tcp", "8600->8600/tcp", "8600->8600/udp");
        assertThat(service("beacon-2")).doesNotContainKey("ports");
        assertThat(service("beacon-3")).doesNotContainKey("ports");
    }

    @Test
    void eachServerKeepsItsDataInItsOwnVolume() {
        Set<Object> sources = new HashSet<>();
        for (String name : SERVERS) {
            List<Object> volumes = list(service(name).get("volumes"));
            assertThat(volumes).as(name).hasSize(1);
            String[] volume = String.valueOf(volumes.get(0)).split(":");
            assertThat(volume[1]).as(name).isEqualTo("/var/lib/beacon");
            assertThat(topLevelVolumes).as(name).containsKey(volume[0]);
            sources.add(volume[0]);
        }
        assertThat(sources).hasSize(3);
    }

    private static Map<String, Object> service(String name) {
        return map(services.get(name));
    }

    private static Map<String, String> environment(String name) {
        Map<String, String> environment = new java.util.HashMap<>();
        map(service(name).get("environment")).forEach((k, v) -> environment.put(k, String.valueOf(v)));
        return environment;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
