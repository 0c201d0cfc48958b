package dev.beacon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.beacon.config.BeaconProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.secure.yml over docker-compose.yml, as docker-compose merges them: the one switch that turns ACLs
 * (default deny, a configured management token) and TLS (each server its own certificate, HTTPS published) on.
 */
class ComposeSecureFileTest {
    private static final List<String> SERVERS = List.of("beacon-1", "beacon-2", "beacon-3");
    private static final String TOKEN = "4e2f3f1c-8f5d-4b6e-9a57-0b7f4a6d2c11";
    private static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void resolve() {
        Tool.Result resolved = Tool.run(List.of("docker-compose", "-f", "docker-compose.yml", "-f",
                "docker-compose.secure.yml", "config"), Map.of("BEACON_MANAGEMENT_TOKEN", TOKEN));
        assertThat(resolved.exitCode()).as(resolved.output()).isZero();
        services = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(resolved.output())).get("services");
    }

    @Test
    void withoutAManagementTokenItRefusesToStart() {
        Tool.Result refused = Tool.run(List.of("docker-compose", "-f", "docker-compose.yml", "-f",
                "docker-compose.secure.yml", "config", "-q"), Map.of("BEACON_MANAGEMENT_TOKEN", ""));
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("BEACON_MANAGEMENT_TOKEN");
    }

    @Test
    void everyServerHasAclsOnAndItsOwnCertificate() {
        for (String name : SERVERS) {
            Map<String, String> environment = environment(name);
            assertThat(BeaconEnvironment.KNOWN_NAMES).as(name).containsAll(
                    environment.keySet().stream().filter(k -> k.startsWith("BEACON_")).toList());
            BeaconProperties properties = BeaconEnvironment.bind(environment);
            assertThat(properties.acl().enabled()).as(name).isTrue();
            assertThat(properties.acl().defaultPolicy()).as(name).isEqualTo("deny");
            assertThat(properties.acl().tokens().initialManagement()).as(name).isEqualTo(TOKEN);
            assertThat(properties.tls().enabled()).as(name).isTrue();
            assertThat(properties.tls().certFile()).as(name).hasToString("/etc/beacon/tls/" + name + ".pem");
            assertThat(properties.tls().keyFile()).as(name).hasToString("/etc/beacon/tls/" + name + "-key.pem");
            assertThat(properties.ports().https()).as(name).isEqualTo(8501);
            assertThat(BeaconEnvironment.cluster(properties).members()).as(name)
                    .containsExactly("beacon-1:8300", "beacon-2:8300", "beacon-3:8300");
            assertThat(List.copyOf((List<?>) service(name).get("volumes"))).as(name)
                    .anySatisfy(v -> assertThat(String.valueOf(v)).endsWith("/certs:/etc/beacon/tls:ro"));
        }
        assertThat(String.valueOf(service("beacon-1").get("ports"))).contains("published=8501", "target=8501");
    }

    /**
     * Beacon serves etcd as plain HTTP only, so secure mode keeps it as it keeps 8500: on every server and through
     * etcd-proxy, unchanged, with the servers' ACLs (default deny) deciding what a request may do.
     */
    @Test
    void etcdStaysOnThroughTheProxyWithAclsDeciding() {
        for (String name : SERVERS) {
            BeaconProperties properties = BeaconEnvironment.bind(environment(name));
            assertThat(properties.ports().etcd()).as(name).isEqualTo(2379);
            assertThat(properties.acl().enabled()).as(name).isTrue();
        }
        Map<String, Object> proxy = service("etcd-proxy");
        assertThat(proxy).as("etcd-proxy in the merged file").isNotNull();
        assertThat(String.valueOf(proxy.get("ports"))).contains("published=2379", "target=2379");
        assertThat(String.valueOf(proxy.get("volumes"))).contains("/deploy/nginx-etcd.conf:/etc/nginx/nginx.conf:ro");
        assertThat(proxy).doesNotContainKey("environment");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String name) {
        Map<String, String> environment = new HashMap<>();
        ((Map<String, Object>) service(name).get("environment")).forEach((k, v) -> environment.put(k,
                String.valueOf(v)));
        return environment;
    }
}
