package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.beacon.state.Store;
import io.atomix.cluster.discovery.NodeDiscoveryProvider;
import io.atomix.cluster.protocol.GroupMembershipProtocol;
import io.atomix.core.AtomixRegistry;
import io.atomix.core.profile.Profile;
import io.atomix.core.registry.ClasspathScanningRegistry;
import io.atomix.primitive.PrimitiveType;
import io.atomix.primitive.partition.PartitionGroup;
import io.atomix.primitive.protocol.PrimitiveProtocol;
import io.atomix.utils.NamedType;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeRegistryTest {
    @TempDir
    Path dir;
    private StoreType storeType;
    private NodeRegistry registry;

    @BeforeEach
    void setUp() {
        storeType = new StoreType(new Store(), new StoreSnapshots(new SnapshotFiles(dir, "127.0.0.1:8300")),
                new LeaderReads(() -> null), new PromptCommits(() -> null), new OwnOutcomes());
        registry = new NodeRegistry(storeType);
    }

    /** Atomix's own scan of its jars, as the server used to build its registry; an Atomix upgrade shows here. */
    @ParameterizedTest
    @ValueSource(classes = {PrimitiveType.class, PartitionGroup.Type.class, PrimitiveProtocol.Type.class,
            Profile.Type.class, NodeDiscoveryProvider.Type.class, GroupMembershipProtocol.Type.class})
    void listsTheTypesAtomixWouldFindOnTheClasspath(Class<? extends NamedType> kind) {
        AtomixRegistry scanned = ClasspathScanningRegistry.builder()
                .withClassLoader(NodeRegistryTest.class.getClassLoader())
                .withWhitelistPackages("io.atomix")
                .build();

        Map<String, Class<?>> listed = byName(registry, kind);
        listed.remove(StoreType.NAME);

        assertThat(listed).isNotEmpty().isEqualTo(byName(scanned, kind));
    }

    /** A kind of type the list leaves out entirely would not show in the comparison by kind above. */
    @Test
    void listsEveryNamedTypeInTheAtomixJars() {
        List<Class<? extends NamedType>> kinds = List.of(PrimitiveType.class, PartitionGroup.Type.class,
                PrimitiveProtocol.Type.class, Profile.Type.class, NodeDiscoveryProvider.Type.class,
                GroupMembershipProtocol.Type.class);
        try (ScanResult scan = new ClassGraph().enableClassInfo().whitelistPackages("io.atomix").scan()) {
            List<Class<?>> found = scan.getClassesImplementing(NamedType.class.getName()).stream()
                    .filter(info -> !info.isInterface() && !info.isAbstract() && !Modifier.isPrivate(info.getModifiers()))
                    .map(ClassInfo::loadClass)
                    .toList();

            assertThat(found).hasSizeGreaterThan(40).allSatisfy(type -> assertThat(kinds.stream()
                    .flatMap(kind -> registry.getTypes(kind).stream())
                    .map(Object::getClass)).contains(type));
        }
    }

    @Test
    void bindsTheStoreToThisServersInstance() {
        assertThat(registry.getType(PrimitiveType.class, StoreType.NAME)).isSameAs(storeType);
        assertThat(registry.getTypes(PrimitiveType.class)).contains(storeType);
    }

    @Test
    void findsTypesByKindAndName() {
        assertThat(registry.getType(PartitionGroup.Type.class, "raft").name()).isEqualTo("raft");
        assertThat(registry.getType(PrimitiveType.class, "atomic-map").name()).isEqualTo("atomic-map");
        assertThat(registry.getType(PrimitiveType.class, "no-such-type")).isNull();
        assertThat(registry.getTypes(NamedType.class)).isEmpty();
    }

    private static Map<String, Class<?>> byName(AtomixRegistry registry, Class<? extends NamedType> kind) {
        return registry.getTypes(kind).stream()
                .collect(Collectors.toMap(NamedType::name, Object::getClass, (a, b) -> a, HashMap::new));
    }
}
