package dev.beacon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Node;
import org.junit.jupiter.api.Test;

/**
 * A registration that failed is retried a second later, unless the server has stopped meanwhile: its cluster
 * client is closed then, and a retry would only fail on a thread nobody waits on.
 */
class SelfRegistrationTest {
    private final AtomicInteger submits = new AtomicInteger();
    private final ClusterView ready = (ClusterView) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ClusterView.class}, (proxy, method, args) -> {
                assertThat(method.getName()).isEqualTo("whenReady");
                return CompletableFuture.completedFuture(null);
            });
    private final Replicator failing = (Replicator) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Replicator.class}, (proxy, method, args) -> {
                assertThat(method.getName()).isEqualTo("submit");
                submits.incrementAndGet();
                return CompletableFuture.failedFuture(new IllegalStateException("no leader yet"));
            });
    private final SelfRegistration registration = new SelfRegistration(ready, failing,
            new Node("n1", "id-n1", "127.0.0.1", "dc1", Map.of(), Map.of(), 0, 0), 8300);

    @Test
    void aFailedRegistrationIsRetried() {
        registration.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> submits.get() >= 2);
        registration.stop();
    }

    @Test
    void noRetryAfterTheServerStopped() {
        registration.start();
        registration.stop();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> submits.get() == 1);
    }
}
