package dev.beacon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A server that warms its answer path up reads its own {@code /v1} port over HTTP once it has joined: every read is
 * answered, none shows in the request metrics, and nothing stays parked afterwards.
 */
@ExtendWith(OutputCaptureExtension.class)
class AnswerWarmUpIT {

    @Test
    void aJoinedServerAnswersItsOwnWarmUpReadsAndCountsNoneOfThem(@TempDir Path dir, CapturedOutput output) {
        try (BeaconNode node = new BeaconNode("warm", "127.0.0.1", TestCluster.freePort(), List.of(), dir)
                .with("beacon.warm-up", "true").start()) {
            node.cluster().whenReady().join();
            String done = "Warmed the answer path up with " + AnswerWarmUp.ROUNDS * 4 + " reads of its own";
            await().atMost(Duration.ofSeconds(60)).until(() -> output.getOut().contains(done));

            MeterRegistry metrics = node.context().getBean(MeterRegistry.class);
            assertThat(metrics.find("beacon.api.requests").timers()).as("timers after the warm-up").isEmpty();
            assertThat(node.store().watchCount()).as("watches left parked").isZero();
            assertThat(node.get("/v1/catalog/services").statusCode()).isEqualTo(200);
            assertThat(metrics.find("beacon.api.requests").timers()).singleElement()
                    .extracting(Timer::count).isEqualTo(1L);
        }
    }

    /** Other clients' answers take the same path: once there are enough of them, the warm-up stops. */
    @Test
    void theWarmUpGivesWayToOtherClients(@TempDir Path dir) throws Exception {
        try (BeaconNode node = new BeaconNode("busy", "127.0.0.1", TestCluster.freePort(), List.of(), dir).start()) {
            node.cluster().whenReady().join();
            AtomicInteger looks = new AtomicInteger();
            // The first look is the count when it begins, then one before each round: others arrive after two rounds.
            LongSupplier others = () -> looks.incrementAndGet() > 3 ? AnswerWarmUp.GIVE_WAY_AFTER : 0;

            assertThat(new AnswerWarmUp("127.0.0.1", node.httpPort(), others).run()).isEqualTo(2 * 4);
            assertThat(new AnswerWarmUp("127.0.0.1", node.httpPort(), () -> 0).run())
                    .isEqualTo(AnswerWarmUp.ROUNDS * 4);
        }
    }
}
