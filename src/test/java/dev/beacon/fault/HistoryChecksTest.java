package dev.beacon.fault;

import static dev.beacon.fault.LinearizabilityChecker.Verdict.LINEARIZABLE;
import static dev.beacon.fault.LinearizabilityChecker.Verdict.NOT_LINEARIZABLE;
import static dev.beacon.fault.Op.Outcome.FAILED;
import static dev.beacon.fault.Op.Outcome.OK;
import static dev.beacon.fault.Op.Outcome.UNKNOWN;
import static dev.beacon.fault.Op.ReadMode.CONSISTENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

class HistoryChecksTest {

    private static LinearizabilityChecker.Result verdict(List<Op> history) {
        return HistoryChecks.linearizability(history, EnumSet.of(CONSISTENT)).get("r");
    }

    @Test
    void aStaleReadAmongManyWritesOfUnknownOutcomeIsFoundAndNamed() {
        List<Op> history = new ArrayList<>();
        // Timed-out writes nobody read: each may apply at any later point, which the whole search cannot afford.
        for (int i = 0; i < 40; i++) {
            history.add(Op.write(2 + i, "r", "lost-" + i, i, 0, UNKNOWN));
        }
        history.add(Op.write(0, "r", "a", 50, 51, OK));
        history.add(Op.write(0, "r", "b", 60, 61, OK));
        Op stale = Op.read(1, CONSISTENT, "r", "a", 70, 71);
        history.add(stale);
        LinearizabilityChecker.Result result = verdict(history);
        assertThat(result.verdict()).isEqualTo(NOT_LINEARIZABLE);
        assertThat(result.stuckAt()).isEqualTo(stale);
        assertThat(HistoryChecks.around(history, result.stuckAt(), 10)).contains("READ CONSISTENT null -> a OK");
    }

    @Test
    void aCasMayHaveFailedBecauseOfAWriteNobodySaw() {
        List<Op> history = List.of(
                Op.write(0, "r", "a", 0, 1, OK),
                Op.write(1, "r", "unseen", 2, 0, UNKNOWN),
                Op.cas(2, "r", "a", "x", 5, 6, FAILED));
        assertThat(verdict(history).verdict()).isEqualTo(LINEARIZABLE);
    }

    @Test
    void aCasThatFailedWithNothingToExplainItIsNot() {
        List<Op> history = List.of(
                Op.write(0, "r", "a", 0, 1, OK),
                Op.write(1, "r", "unseen", 2, 0, UNKNOWN),
                Op.cas(2, "r", "a", "x", 5, 6, FAILED),
                Op.read(3, CONSISTENT, "r", "a", 7, 8));
        assertThat(verdict(history).verdict()).isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void lockHoldsOfDifferentClientsMustNotOverlap() {
        var first = new LockClients.Hold(0, 0, 10);
        var second = new LockClients.Hold(1, 11, 20);
        var third = new LockClients.Hold(0, 21, 40);
        assertThat(HistoryChecks.overlappingHolds(List.of(third, first, second))).isEmpty();

        var inside = new LockClients.Hold(2, 25, 30);
        assertThat(HistoryChecks.overlappingHolds(List.of(first, second, third, inside)))
                .containsExactly(third + " / " + inside);
        // An overlap with a long hold that started before the one just before it.
        var shortAfterLong = new LockClients.Hold(1, 35, 36);
        assertThat(HistoryChecks.overlappingHolds(List.of(first, third, new LockClients.Hold(2, 30, 31),
                shortAfterLong))).hasSize(2).contains(third + " / " + shortAfterLong);
    }
}
