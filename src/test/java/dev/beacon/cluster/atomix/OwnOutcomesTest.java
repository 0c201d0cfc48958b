package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.beacon.state.Outcome;
import org.junit.jupiter.api.Test;

class OwnOutcomesTest {
    private static final Duration LONG = Duration.ofMinutes(1);
    private final OwnOutcomes outcomes = new OwnOutcomes();

    @Test
    void anOutcomeAppliedBeforeItsAnswerIsKeptUntilTheAnswerTakesIt() {
        outcomes.submitting();
        Outcome own = outcome(5);
        outcomes.applied(5, own);
        assertThat(outcomes.keptCount()).isOne();

        assertThat(outcomes.answered(5, LONG)).isCompletedWithValue(own);
        assertThat(outcomes.keptCount()).isZero();
    }

    @Test
    void anAnswerThatComesFirstWaitsForTheApply() {
        outcomes.submitting();
        CompletableFuture<Outcome> answer = outcomes.answered(5, LONG);
        outcomes.applied(4, null);
        assertThat(answer).isNotDone();

        Outcome own = outcome(5);
        outcomes.applied(5, own);

        assertThat(answer).isCompletedWithValue(own);
        assertThat(outcomes.keptCount()).isZero();
    }

    @Test
    void anEntryAppliedHereWithoutAnOutcomeOfItsOwnIsAnsweredWithNone() {
        outcomes.submitting();
        outcomes.submitting();
        CompletableFuture<Outcome> waiting = outcomes.answered(5, LONG);
        outcomes.applied(5, null);
        outcomes.applied(6, null);

        assertThat(waiting).isCompletedWithValue(null);
        assertThat(outcomes.answered(6, LONG)).isCompletedWithValue(null);
    }

    @Test
    void entriesNeverAppliedOneByOneReleaseTheirAnswers() {
        outcomes.submitting();
        outcomes.submitting();
        CompletableFuture<Outcome> skipped = outcomes.answered(7, LONG);
        CompletableFuture<Outcome> restored = outcomes.answered(12, LONG);

        // Entries Atomix keeps for itself never reach the state machine; the next command applied covers them.
        outcomes.applied(9, outcome(9));
        assertThat(skipped).isCompletedWithValue(null);
        assertThat(restored).isNotDone();

        outcomes.restored(20);
        assertThat(restored).isCompletedWithValue(null);
    }

    @Test
    void anAnswerNotAppliedHereInTimeCompletesWithNone() {
        outcomes.submitting();

        CompletableFuture<Outcome> answer = outcomes.answered(5, Duration.ofMillis(1));

        assertThat(answer).succeedsWithin(LONG).isNull();
        Outcome late = outcome(5);
        outcomes.applied(5, late);
        assertThat(outcomes.keptCount()).isZero();
    }

    @Test
    void outcomesAreKeptOnlyWhileASubmissionIsUnanswered() {
        outcomes.applied(3, outcome(3));
        assertThat(outcomes.keptCount()).as("replayed, nothing submitted").isZero();

        outcomes.submitting();
        outcomes.submitting();
        outcomes.applied(5, outcome(5));
        outcomes.applied(6, outcome(6));
        outcomes.abandoned();
        assertThat(outcomes.keptCount()).isEqualTo(2);

        outcomes.answered(5, LONG);

        // The outcome at 6 was the abandoned submission's: nobody is left to take it.
        assertThat(outcomes.keptCount()).isZero();
    }

    @Test
    void atMostSoManyOutcomesAreKeptTheOldestDroppedFirst() {
        outcomes.submitting();
        for (long index = 1; index <= OwnOutcomes.MAX_KEPT + 10; index++) {
            outcomes.applied(index, outcome(index));
        }

        assertThat(outcomes.keptCount()).isEqualTo(OwnOutcomes.MAX_KEPT);
        assertThat(outcomes.answered(3, LONG)).isCompletedWithValue(null);
    }

    @Test
    void theNewestKeptOutcomeSurvivesTheBound() {
        outcomes.submitting();
        outcomes.submitting();
        for (long index = 1; index <= OwnOutcomes.MAX_KEPT + 10; index++) {
            outcomes.applied(index, outcome(index));
        }
        long newest = OwnOutcomes.MAX_KEPT + 10;

        assertThat(outcomes.answered(newest, LONG).join().index()).isEqualTo(newest);
    }

    private static Outcome outcome(long index) {
        return new Outcome(index, true, null);
    }
}
