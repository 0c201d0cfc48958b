package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.atomix.cluster.messaging.MessagingException;
import org.junit.jupiter.api.Test;

class UndeliveredRetryTest {
    private final UndeliveredRetry retry = new UndeliveredRetry(Duration.ofMillis(1), Duration.ofSeconds(30));
    private final AtomicInteger attempts = new AtomicInteger();

    @Test
    void anOperationThatNeverReachedAServerIsSentAgainUntilItIsAnswered() {
        CompletableFuture<String> result = retry.run(() -> attempts.incrementAndGet() <= 3
                ? CompletableFuture.failedFuture(new MessagingException.NoRemoteHandler())
                : CompletableFuture.completedFuture("applied"));

        assertThat(result.join()).isEqualTo("applied");
        assertThat(attempts).hasValue(4);
    }

    @Test
    void aReadTheLeaderRefusedIsAskedAgainUntilItIsServed() {
        CompletableFuture<String> result = retry.run(() -> attempts.incrementAndGet() <= 2
                ? CompletableFuture.failedFuture(new ReadRefusedException())
                : CompletableFuture.completedFuture("served"));

        assertThat(result.join()).isEqualTo("served");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void anyOtherFailureIsPassedOnAtOnceForItMayHaveBeenApplied() {
        IllegalStateException timeout = new IllegalStateException("timed out");
        CompletableFuture<String> result = retry.run(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(timeout);
        });

        assertThatThrownBy(result::join).isInstanceOf(CompletionException.class).hasCause(timeout);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void itGivesUpWithTheLastFailureOnceTheLimitHasPassed() {
        UndeliveredRetry brief = new UndeliveredRetry(Duration.ofMillis(5), Duration.ofMillis(50));
        CompletableFuture<String> result = brief.run(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new MessagingException.NoRemoteHandler());
        });

        assertThatThrownBy(result::join).hasCauseInstanceOf(MessagingException.NoRemoteHandler.class);
    }

    @Test
    void aWrappedUndeliveredFailureIsRecognised() {
        assertThat(UndeliveredRetry.undelivered(new CompletionException(new MessagingException.NoRemoteHandler())))
                .isTrue();
        assertThat(UndeliveredRetry.undelivered(new MessagingException.RemoteHandlerFailure())).isFalse();
    }

    @Test
    void noAttemptIsMadeAfterTheCallerCompletedTheResult() throws Exception {
        UndeliveredRetry slow = new UndeliveredRetry(Duration.ofMillis(200), Duration.ofSeconds(30));
        CompletableFuture<String> result = slow.run(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new MessagingException.NoRemoteHandler());
        });
        result.cancel(false);
        Thread.sleep(600);

        assertThat(attempts).hasValue(1);
    }
}
