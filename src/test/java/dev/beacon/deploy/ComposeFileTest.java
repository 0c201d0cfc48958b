package dev.beacon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
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
 * the server binds them, describe one three-member cluster; etcd-proxy spreads etcd clients over their 2379.
 */
class ComposeFileTest {
    private static final List<String> SERVERS = List.of("beacon-1", "beacon-2", "beacon-3");
    private static final String PROXY = "etcd-proxy";
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
        List<String> expected = new ArrayList<>(SERVERS);
        expected.add(PROXY);
        assertThat(services).containsOnlyKeys(expected);
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
    void everyServerServesEtcdOnAnAddressTheOtherContainersReach() {
        for (String name : SERVERS) {
            BeaconProperties properties = BeaconEnvironment.bind(environment(name));
            assertThat(properties.ports().etcd()).as(name).isEqualTo(2379);
            assertThat(properties.clientAddress()).as(name).isEqualTo("0.0.0.0");
        }
    }

    @Test
    void etcdProxyIsAPinnedNginxPublishedOn2379() {
        Map<String, Object> proxy = service(PROXY);
        assertThat(String.valueOf(proxy.get("image"))).as("official nginx, a pinned version with upstream resolve")
                .matches("nginx:1\\.(27\\.([3-9]|[1-9][0-9])|(2[89]|[3-9][0-9])\\.[0-9]+)-alpine");
        assertThat(proxy).doesNotContainKey("build");
        assertThat(proxy.get("restart")).isEqualTo("unless-stopped");
        assertThat(map(proxy.get("depends_on"))).containsOnlyKeys(SERVERS);
        List<String> published = new ArrayList<>();
        for (Object port : list(proxy.get("ports"))) {
            Map<String, Object> p = map(port);
            published.add(p.get("published") + "->" + p.get("target") + "/" + p.get("protocol"));
        }
        assertThat(published).containsExactly("2379->2379/tcp");
        assertThat(list(proxy.get("volumes"))).map(String::valueOf)
                .containsExactly(Tool.PROJECT.resolve("deploy/nginx-etcd.conf") + ":/etc/nginx/nginx.conf:ro");
    }

    @Test
    void etcdProxyConfigSpreadsTcpOverAllThreeServersEtcdPorts() throws IOException {
        NginxConf.Block conf = NginxConf.parse(Files.readString(Tool.PROJECT.resolve("deploy/nginx-etcd.conf")));
        assertThat(conf.blocks("http")).as("TCP proxying only: stream {}, no http {}").isEmpty();
        NginxConf.Block stream = conf.only("stream");
        assertThat(stream.values("resolver")).as("Docker's embedded DNS").anyMatch(v -> v.startsWith("127.0.0.11"));
        NginxConf.Block server = stream.only("server");
        assertThat(server.values("listen")).containsExactly("2379");
        String upstreamName = server.values("proxy_pass").get(0);
        NginxConf.Block upstream = stream.blocks("upstream").stream()
                .filter(b -> b.arguments().equals(List.of(upstreamName))).findFirst()
                .orElseThrow(() -> new AssertionError("no upstream " + upstreamName));
        assertThat(upstream.values("zone")).as("resolve needs a shared zone").hasSize(1);
        List<String> members = new ArrayList<>();
        for (List<String> entry : upstream.directives("server")) {
            members.add(entry.get(0));
            assertThat(entry).as(entry.get(0) + " follows address changes of a recreated container")
                    .contains("resolve");
        }
        assertThat(members).containsExactlyInAnyOrder("beacon-1:2379", "beacon-2:2379", "beacon-3:2379");
        for (String member : members) {
            assertThat(services).as(member).containsKey(member.substring(0, member.indexOf(':')));
        }
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
