package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.atomix.cluster.messaging.MessagingException;
import org.junit.jupiter.api.Test;

class RefusedReadRetryTest {
    private final RefusedReadRetry retry = new RefusedReadRetry(Duration.ofMillis(1), Duration.ofSeconds(30));
    private final AtomicInteger attempts = new AtomicInteger();

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
    void anAttemptThatThrowsFailsTheResultInsteadOfItsCaller() {
        RejectedExecutionException stopped = new RejectedExecutionException("pool terminated");
        CompletableFuture<String> result = retry.run(() -> {
            throw stopped;
        });

        assertThatThrownBy(result::join).isInstanceOf(CompletionException.class).hasCause(stopped);
    }

    @Test
    void itGivesUpWithTheLastFailureOnceTheLimitHasPassed() {
        RefusedReadRetry brief = new RefusedReadRetry(Duration.ofMillis(5), Duration.ofMillis(50));
        CompletableFuture<String> result = brief.run(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new ReadRefusedException());
        });

        assertThatThrownBy(result::join).hasCauseInstanceOf(ReadRefusedException.class);
    }

    @Test
    void aWrappedRefusalIsRecognisedAndMessagingFailuresAreLeftToTheSessionsConnection() {
        assertThat(RefusedReadRetry.refused(new CompletionException(new ReadRefusedException()))).isTrue();
        assertThat(RefusedReadRetry.refused(new MessagingException.NoRemoteHandler())).isFalse();
        assertThat(RefusedReadRetry.refused(new MessagingException.RemoteHandlerFailure())).isFalse();
    }

    @Test
    void noAttemptIsMadeAfterTheCallerCompletedTheResult() throws Exception {
        RefusedReadRetry slow = new RefusedReadRetry(Duration.ofMillis(200), Duration.ofSeconds(30));
        CompletableFuture<String> result = slow.run(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new ReadRefusedException());
        });
        result.cancel(false);
        Thread.sleep(600);

        assertThat(attempts).hasValue(1);
    }
}
