package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import dev.beacon.testing.TestCluster;
import io.atomix.cluster.messaging.MessagingConfig;
import io.atomix.cluster.messaging.impl.NettyMessagingService;
import io.atomix.utils.net.Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two of Atomix's messaging services on loopback, one asking the other: what is left queued of each request's timer. */
class MessagingTimersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private NettyMessagingService asking;
    private NettyMessagingService answering;

    @AfterEach
    void stop() throws Exception {
        for (NettyMessagingService messaging : new NettyMessagingService[] {asking, answering}) {
            if (messaging != null) {
                messaging.stop().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anAnsweredRequestLeavesNoTimerQueued() throws Exception {
        start();
        MessagingTimers.dropCancelled(asking);

        assertThat(askTwice()).isEqualTo("pong");
        assertThat(timers(asking).getQueue()).isEmpty();
    }

    @Test
    void atomixAloneKeepsEveryAnsweredRequestsTimerUntilItWouldHaveFired() throws Exception {
        start();

        assertThat(askTwice()).isEqualTo("pong");
        assertThat(timers(asking).getQueue()).hasSize(2);
    }

    @Test
    void aRequestThatIsNotAnsweredStillTimesOut() throws Exception {
        start();
        MessagingTimers.dropCancelled(asking);

        CompletableFuture<byte[]> unanswered = asking.sendAndReceive(answering.address(), "silence", new byte[0],
                Duration.ofMillis(200));

        assertThat(unanswered).failsWithin(Duration.ofSeconds(10));
    }

    private void start() throws Exception {
        answering = started(new NettyMessagingService("beacon", Address.from("127.0.0.1", TestCluster.freePort()),
                new MessagingConfig()));
        asking = started(new NettyMessagingService("beacon", Address.from("127.0.0.1", TestCluster.freePort()),
                new MessagingConfig()));
        BiFunction<Address, byte[], byte[]> pong = (from, payload) -> "pong".getBytes(StandardCharsets.UTF_8);
        answering.registerHandler("ping", pong, Runnable::run);
        answering.registerHandler("silence", (from, payload) -> new CompletableFuture<byte[]>());
    }

    private String askTwice() throws Exception {
        asking.sendAndReceive(answering.address(), "ping", new byte[0], TIMEOUT).get(10, TimeUnit.SECONDS);
        byte[] answer = asking.sendAndReceive(answering.address(), "ping", new byte[0], TIMEOUT)
                .get(10, TimeUnit.SECONDS);
        return new String(answer, StandardCharsets.UTF_8);
    }

    private static NettyMessagingService started(NettyMessagingService messaging) throws Exception {
        messaging.start().get(10, TimeUnit.SECONDS);
        return messaging;
    }

    private static ScheduledThreadPoolExecutor timers(NettyMessagingService messaging) {
        return (ScheduledThreadPoolExecutor) RaftIntrospection.field(NettyMessagingService.class, "timeoutExecutor",
                messaging);
    }
}
