package dev.beacon.cluster.atomix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.atomix.core.AtomixRegistry;
import io.atomix.core.registry.ClasspathScanningRegistry;
import io.atomix.primitive.PrimitiveType;
import io.atomix.utils.NamedType;

/**
 * Atomix's own types (found by a classpath scan limited to {@code io.atomix}, which Atomix caches per class
 * loader) plus this server's {@link StoreType} instance, so that the state machine is bound to this server's
 * replica rather than found by a global scan.
 */
final class NodeRegistry implements AtomixRegistry {
    private final AtomixRegistry atomixTypes;
    private final StoreType storeType;

    NodeRegistry(StoreType storeType) {
        this.atomixTypes = ClasspathScanningRegistry.builder()
                .withClassLoader(NodeRegistry.class.getClassLoader())
                .withWhitelistPackages("io.atomix")
                .build();
        this.storeType = storeType;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends NamedType> Collection<T> getTypes(Class<T> type) {
        Collection<T> types = atomixTypes.getTypes(type);
        if (type != PrimitiveType.class) {
            return types;
        }
        List<T> withStore = new ArrayList<>(types);
        withStore.add((T) storeType);
        return withStore;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends NamedType> T getType(Class<T> type, String name) {
        if (type == PrimitiveType.class && StoreType.NAME.equals(name)) {
            return (T) storeType;
        }
        return atomixTypes.getType(type, name);
    }
}
