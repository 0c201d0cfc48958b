package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.beacon.state.Command;
import dev.beacon.state.Indexed;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import org.junit.jupiter.api.Test;

class CountingReplicatorTest {
    private static final Command SET = new Command.KvSet("k", new byte[] {1}, 0, 0);

    /** Hands out answers that the test completes. */
    private static final class Pending implements Replicator {
        final List<CompletableFuture<Outcome>> answers = new ArrayList<>();

        @Override
        public CompletableFuture<Outcome> submit(Command command) {
            CompletableFuture<Outcome> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        @Override
        public CompletableFuture<Outcome> submitAndApplyHere(Command command, Duration atMost) {
            return submit(command);
        }

        @Override
        public <R> CompletableFuture<Indexed<R>> read(Query<R> query, boolean linearizable) {
            return new CompletableFuture<>();
        }
    }

    private final Pending engine = new Pending();
    private final CountingReplicator replicator = new CountingReplicator(engine);

    @Test
    void aCommandIsPendingUntilItsAnswerComes() {
        CompletableFuture<Outcome> first = replicator.submit(SET);
        replicator.submitAndApplyHere(SET, Duration.ofSeconds(1));
        assertThat(replicator.pending()).isEqualTo(2);

        engine.answers.get(0).complete(new Outcome(5, true, null));

        assertThat(first).isCompletedWithValue(new Outcome(5, true, null));
        assertThat(replicator.pending()).isEqualTo(1);
        assertThat(replicator.failed()).isZero();
    }

    @Test
    void aCommandThatFailsBeforeAnAnswerIsAFailedProposal() {
        CompletableFuture<Outcome> answer = replicator.submit(SET);
        replicator.submitAndApplyHere(SET, Duration.ofSeconds(1));

        engine.answers.get(0).completeExceptionally(new NoLeaderException("No cluster leader"));
        engine.answers.get(1).completeExceptionally(new ClusterUnavailableException("rpc error making call: timed out"));

        assertThat(answer).isCompletedExceptionally();
        assertThat(replicator.failed()).isEqualTo(2);
        assertThat(replicator.pending()).isZero();
    }

    @Test
    void aCommandTheStoreRefusesWasCommittedNotFailed() {
        replicator.submit(SET);
        replicator.submit(SET);

        engine.answers.get(0).complete(new Outcome(6, false, "compare failed"));
        engine.answers.get(1).completeExceptionally(new NoSpaceException());

        assertThat(replicator.failed()).isZero();
        assertThat(replicator.pending()).isZero();
    }
}
