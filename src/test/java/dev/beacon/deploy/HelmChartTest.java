package dev.beacon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.beacon.cluster.ClusterSettings;
import dev.beacon.config.BeaconProperties;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart passes {@code helm lint --strict}, renders with {@code helm template}, every rendered object
 * matches the Kubernetes API model with no unknown field, and the objects fit together: the StatefulSet's
 * servers find each other through the headless Service, and their settings bind to one cluster.
 */
class HelmChartTest {
    private static final Path CHART = Tool.PROJECT.resolve("helm/beacon");
    private static final String DOMAIN = "beacon-headless.ns1.svc.cluster.local";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void rendersOnlyKnownKubernetesFields() {
        List<HasMetadata> objects = render(Map.of());
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactlyInAnyOrder("Service/beacon-headless", "Service/beacon", "StatefulSet/beacon",
                        "PodDisruptionBudget/beacon");
        for (HasMetadata object : objects) {
            assertThat(UnknownFields.in(object)).as(object.getKind()).isEmpty();
        }
    }

    @Test
    void serversFindEachOtherThroughTheHeadlessService() {
        List<HasMetadata> objects = render(Map.of());
        StatefulSet set = only(objects, StatefulSet.class);
        Service headless = named(objects, "beacon-headless");
        assertThat(set.getSpec().getServiceName()).isEqualTo("beacon-headless");
        assertThat(set.getSpec().getReplicas()).isEqualTo(3);
        assertThat(set.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(headless.getSpec().getSelector())
                .isEqualTo(set.getSpec().getTemplate().getMetadata().getLabels())
                .isEqualTo(set.getSpec().getSelector().getMatchLabels());

        List<List<String>> memberLists = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BeaconProperties properties = BeaconEnvironment.bind(environmentOfPod(set, "beacon-" + i));
            assertThat(properties.nodeName()).isEqualTo("beacon-" + i);
            assertThat(properties.datacenter()).isEqualTo("dc1");
            assertThat(properties.clientAddress()).isEqualTo("0.0.0.0");
            assertThat(properties.dataDir()).isEqualTo(Path.of("/var/lib/beacon"));
            ClusterSettings cluster = BeaconEnvironment.cluster(properties);
            assertThat(cluster.localMember()).isEqualTo("beacon-" + i + "." + DOMAIN + ":8300");
            memberLists.add(cluster.members());
        }
        assertThat(memberLists).containsOnly(List.of("beacon-0." + DOMAIN + ":8300", "beacon-1." + DOMAIN + ":8300",
                "beacon-2." + DOMAIN + ":8300"));
    }

    @Test
    void replicasAndDatacenterComeFromValues() {
        List<HasMetadata> objects = render(Map.of("replicas", 5, "datacenter", "eu1", "storage.size", "5Gi"));
        StatefulSet set = only(objects, StatefulSet.class);
        assertThat(set.getSpec().getReplicas()).isEqualTo(5);
        BeaconProperties properties = BeaconEnvironment.bind(environmentOfPod(set, "beacon-4"));
        assertThat(properties.datacenter()).isEqualTo("eu1");
        assertThat(BeaconEnvironment.cluster(properties).members()).hasSize(5);
        assertThat(set.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests()
                .get("storage").toString()).isEqualTo("5Gi");
    }

    @Test
    void podsHaveProbesResourcesAndStorage() {
        StatefulSet set = only(render(Map.of()), StatefulSet.class);
        Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("beacon:0.1.0");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(set.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getVolumeMounts()).anyMatch(m -> m.getName().equals("data")
                && m.getMountPath().equals("/var/lib/beacon"));
        assertThat(set.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName())
                .containsExactly("data");
    }

    @Test
    void clientServiceCarriesHttpEtcdAndDnsToNamedContainerPorts() {
        assertThat(servicePortsToContainerPorts(render(Map.of()))).containsOnly(Map.entry("8500/TCP", "8500/TCP"),
                Map.entry("2379/TCP", "2379/TCP"), Map.entry("8600/TCP", "8600/TCP"),
                Map.entry("8600/UDP", "8600/UDP"));
    }

    @Test
    void etcdIsOnByDefaultOnThePortTheServerListensOn() {
        List<HasMetadata> objects = render(Map.of());
        StatefulSet set = only(objects, StatefulSet.class);
        assertThat(BeaconEnvironment.bind(environmentOfPod(set, "beacon-0")).ports().etcd()).isEqualTo(2379);
        assertThat(named(objects, "beacon").getSpec().getPorts()).anyMatch(p -> p.getName().equals("etcd")
                && p.getPort() == 2379 && p.getTargetPort().getStrVal().equals("etcd"));

        List<HasMetadata> moved = render(Map.of("etcd.port", 12379));
        assertThat(BeaconEnvironment.bind(environmentOfPod(only(moved, StatefulSet.class), "beacon-0")).ports()
                .etcd()).isEqualTo(12379);
        assertThat(servicePortsToContainerPorts(moved)).containsEntry("12379/TCP", "12379/TCP")
                .doesNotContainKey("2379/TCP");
    }

    @Test
    void theEtcdSwitchTurnsTheListenerAndItsPortsOff() {
        List<HasMetadata> objects = render(Map.of("etcd.enabled", false));
        for (HasMetadata object : objects) {
            assertThat(UnknownFields.in(object)).as(object.getKind()).isEmpty();
        }
        StatefulSet set = only(objects, StatefulSet.class);
        Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getEnv()).filteredOn(v -> v.getName().equals("BEACON_PORTS_ETCD"))
                .extracting(EnvVar::getValue).containsExactly("-1");
        assertThat(BeaconEnvironment.bind(environmentOfPod(set, "beacon-0")).ports().etcd()).isEqualTo(-1);
        assertThat(container.getPorts()).noneMatch(p -> p.getName().equals("etcd") || p.getContainerPort() == 2379);
        assertThat(named(objects, "beacon").getSpec().getPorts()).noneMatch(p -> p.getName().equals("etcd")
                || p.getPort() == 2379);
        assertThat(servicePortsToContainerPorts(objects)).containsOnlyKeys("8500/TCP", "8600/TCP", "8600/UDP");
    }

    @Test
    void everyServerListensOnTheWanPortAndJoinsTheListedServersOfOtherDatacenters() {
        List<HasMetadata> plain = render(Map.of());
        StatefulSet set = only(plain, StatefulSet.class);
        assertThat(set.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                .anyMatch(p -> p.getName().equals("serf-wan") && p.getContainerPort() == 8302);
        assertThat(BeaconEnvironment.bind(environmentOfPod(set, "beacon-0")).retryJoinWan()).isEmpty();

        StatefulSet joined = only(render(Map.of("wan.retryJoin[0]", "west-0.example.org",
                "wan.retryJoin[1]", "west-1.example.org:9302")), StatefulSet.class);
        assertThat(BeaconEnvironment.bind(environmentOfPod(joined, "beacon-1")).retryJoinWan())
                .containsExactly("west-0.example.org", "west-1.example.org:9302");
    }

    /** Each client Service port ("port/protocol") with the container port its named target resolves to. */
    private static Map<String, String> servicePortsToContainerPorts(List<HasMetadata> objects) {
        Service client = named(objects, "beacon");
        Container container = only(objects, StatefulSet.class).getSpec().getTemplate().getSpec().getContainers()
                .get(0);
        Map<String, String> containerPorts = container.getPorts().stream().collect(Collectors.toMap(
                p -> p.getName(), p -> p.getContainerPort() + "/" + p.getProtocol()));
        Map<String, String> servicePorts = new HashMap<>();
        for (ServicePort port : client.getSpec().getPorts()) {
            servicePorts.put(port.getPort() + "/" + port.getProtocol(),
                    containerPorts.get(port.getTargetPort().getStrVal()));
        }
        return servicePorts;
    }

    @Test
    void theSecureSwitchTurnsOnAclsAndTlsFromSecrets() {
        List<HasMetadata> objects = render(Map.of("secure.enabled", true));
        for (HasMetadata object : objects) {
            assertThat(UnknownFields.in(object)).as(object.getKind()).isEmpty();
        }
        StatefulSet set = only(objects, StatefulSet.class);
        Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
        BeaconProperties properties = BeaconEnvironment.bind(environmentOfPod(set, "beacon-0"));
        assertThat(properties.acl().enabled()).isTrue();
        assertThat(properties.acl().defaultPolicy()).isEqualTo("deny");
        assertThat(properties.tls().enabled()).isTrue();
        assertThat(properties.ports().https()).isEqualTo(8501);
        assertThat(container.getEnv()).anySatisfy(variable -> {
            assertThat(variable.getName()).isEqualTo("BEACON_ACL_TOKENS_INITIAL_MANAGEMENT");
            assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo("beacon-management");
        });
        assertThat(container.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/etc/beacon/tls")
                && m.getReadOnly());
        assertThat(set.getSpec().getTemplate().getSpec().getVolumes()).anyMatch(v -> v.getSecret() != null
                && v.getSecret().getSecretName().equals("beacon-tls"));
        assertThat(named(objects, "beacon").getSpec().getPorts()).anyMatch(p -> p.getPort() == 8501
                && p.getTargetPort().getStrVal().equals("https"));
        assertThat(container.getPorts()).anyMatch(p -> p.getName().equals("https") && p.getContainerPort() == 8501);
        Container plain = only(render(Map.of()), StatefulSet.class).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(BeaconEnvironment.bind(environmentOfPod(only(render(Map.of()), StatefulSet.class), "beacon-0"))
                .acl().enabled()).as("off by default").isFalse();
        assertThat(plain.getPorts()).noneMatch(p -> p.getName().equals("https"));
    }

    @Test
    void disruptionBudgetKeepsAMajority() {
        List<HasMetadata> objects = render(Map.of());
        PodDisruptionBudget budget = only(objects, PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(only(objects, StatefulSet.class).getSpec().getTemplate().getMetadata().getLabels());
    }

    private static List<HasMetadata> render(Map<String, Object> values) {
        var template = new Helm(CHART).template().withName("beacon").withNamespace("ns1");
        values.forEach(template::set);
        String manifests = template.call();
        List<HasMetadata> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(manifests)) {
            if (document != null) {
                objects.add(toModel(document));
            }
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static HasMetadata toModel(Object document) {
        Map<String, Object> map = (Map<String, Object>) document;
        Class<? extends HasMetadata> type = switch (String.valueOf(map.get("kind"))) {
            case "Service" -> Service.class;
            case "StatefulSet" -> StatefulSet.class;
            case "PodDisruptionBudget" -> PodDisruptionBudget.class;
            default -> throw new AssertionError("unexpected object in the chart: " + map.get("kind"));
        };
        return MAPPER.convertValue(map, type);
    }

    /** A pod's environment after Kubernetes expands $(POD_NAME), which is all the chart's variables use. */
    private static Map<String, String> environmentOfPod(StatefulSet set, String podName) {
        Map<String, String> environment = new HashMap<>();
        for (EnvVar variable : set.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            if (variable.getValue() != null) {
                environment.put(variable.getName(), variable.getValue().replace("$(POD_NAME)", podName));
            }
        }
        assertThat(BeaconEnvironment.KNOWN_NAMES).containsAll(
                environment.keySet().stream().filter(k -> k.startsWith("BEACON_")).toList());
        return environment;
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> matches = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matches).hasSize(1);
        return matches.get(0);
    }

    private static Service named(List<HasMetadata> objects, String name) {
        return objects.stream().filter(o -> o instanceof Service && o.getMetadata().getName().equals(name))
                .map(Service.class::cast).findFirst().orElseThrow(() -> new AssertionError("no Service " + name));
    }
}
