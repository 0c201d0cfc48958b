package dev.beacon.state;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.bytes;
import static dev.beacon.state.Fixtures.filled;
import static dev.beacon.state.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Appending, reading back, and reclaiming the room of dead values. */
class ValueLogTest {
    private static final int SEGMENT = 100;

    private final ValueLog log = new ValueLog(new HeapSegments(), SEGMENT);

    @Test
    void valuesReadBackAsAppended() {
        long a = log.append(bytes("alpha"));
        long b = log.append(bytes("beta"));
        assertThat(text(log.read(a, 5))).isEqualTo("alpha");
        assertThat(text(log.read(b, 4))).isEqualTo("beta");
        assertThat(log.totalBytes()).isEqualTo(9);
    }

    @Test
    void nullAndEmptyTakeNoRoom() {
        assertThat(log.append(null)).isEqualTo(ValueLog.NOWHERE);
        assertThat(log.append(new byte[0])).isEqualTo(ValueLog.NOWHERE);
        assertThat(log.read(ValueLog.NOWHERE, -1)).isNull();
        assertThat(log.read(ValueLog.NOWHERE, 0)).isEmpty();
        assertThat(log.totalBytes()).isZero();
    }

    @Test
    void aValueThatDoesNotFitStartsANewSegment() {
        long first = log.append(new byte[60]);
        long second = log.append(filled(60, 7));
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(first >>> 32).isNotEqualTo(second >>> 32);
        assertThat(log.read(second, 60)).isEqualTo(filled(60, 7));
    }

    @Test
    void aValueLargerThanASegmentGetsOneOfItsOwn() {
        log.append(new byte[10]);
        long big = log.append(filled(250, 3));
        assertThat(log.read(big, 250)).isEqualTo(filled(250, 3));
        long next = log.append(filled(5, 4));
        assertThat(next >>> 32).isNotEqualTo(big >>> 32);
    }

    @Test
    void reclaimEmptiesMostlyDeadSegmentsAndKeepsEveryLiveValue() {
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long ref = log.append(filled(30, i));
            if (i % 4 == 0) {
                live.add(new long[] {ref, i});
            }
        }
        assertThat(log.segmentCount()).isEqualTo(7);
        assertThat(log.reclaimDue()).isTrue();

        ValueLog.Reclaim reclaim = log.reclaim();
        live.forEach(value -> reclaim.live(value[0], 30));
        for (long[] value : live) {
            if (reclaim.isMoving(value[0], 30)) {
                value[0] = reclaim.move(value[0], 30);
            }
        }
        reclaim.finish();

        for (long[] value : live) {
            assertThat(log.read(value[0], 30)).isEqualTo(filled(30, (int) value[1]));
        }
        // The head's two dead values stay; the five live ones moved behind them.
        assertThat(log.totalBytes()).isEqualTo(60 + 5 * 30);
        assertThat(log.segmentCount()).isEqualTo(3);
        assertThat(log.reclaimDue()).isFalse();
    }

    @Test
    void segmentsAtLeastHalfLiveAndTheHeadStay() {
        long a = log.append(filled(60, 1));
        long b = log.append(filled(60, 2));
        ValueLog.Reclaim reclaim = log.reclaim();
        reclaim.live(a, 60);
        assertThat(reclaim.isMoving(a, 60)).isFalse();
        assertThat(reclaim.isMoving(b, 60)).isFalse();
        reclaim.finish();
        assertThat(log.read(a, 60)).isEqualTo(filled(60, 1));
        assertThat(log.read(b, 60)).isEqualTo(filled(60, 2));
        assertThat(log.totalBytes()).isEqualTo(120);
    }

    @Test
    void theNextReclaimWaitsUntilAsMuchAsIsLiveHasBeenAdded() {
        for (int i = 0; i < 4; i++) {
            log.append(filled(50, i));
        }
        ValueLog.Reclaim reclaim = log.reclaim();
        reclaim.finish();
        assertThat(log.totalBytes()).isEqualTo(100);
        assertThat(log.reclaimDue()).isFalse();
        log.append(filled(50, 9));
        assertThat(log.reclaimDue()).isFalse();
        log.append(filled(50, 9));
        assertThat(log.reclaimDue()).isTrue();
    }

    @Test
    void liveValuesAreReportedBeforeAnyMoves() {
        long a = log.append(filled(10, 1));
        ValueLog.Reclaim reclaim = log.reclaim();
        reclaim.isMoving(a, 10);
        assertThatThrownBy(() -> reclaim.live(a, 10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void clearForgetsEverything() {
        log.append(filled(80, 1));
        log.append(filled(80, 2));
        log.clear();
        assertThat(log.totalBytes()).isZero();
        assertThat(log.segmentCount()).isEqualTo(1);
        long ref = log.append(filled(5, 5));
        assertThat(log.read(ref, 5)).isEqualTo(filled(5, 5));
    }

    @Test
    void aPinReadsWhatWasWrittenBeforeItWhileAppendsAndReclaimsWait() {
        long kept = log.append(filled(60, 1));
        log.append(filled(60, 2));
        try (ValueLog.Pin pin = log.pin()) {
            long later = log.append(filled(60, 3));
            assertThat(pin.read(kept, 60)).isEqualTo(filled(60, 1));
            assertThat(pin.read(ValueLog.NOWHERE, -1)).isNull();
            assertThat(log.read(later, 60)).isEqualTo(filled(60, 3));
            assertThat(log.reclaimDue()).isFalse();
        }
        assertThat(log.reclaimDue()).isTrue();
    }

    @Test
    void clearWaitsUntilThePinIsClosed() throws InterruptedException {
        long kept = log.append(filled(40, 5));
        ValueLog.Pin pin = log.pin();
        Thread clearing = new Thread(log::clear);
        clearing.start();
        while (clearing.getState() != Thread.State.WAITING) {
            assertThat(clearing.isAlive()).as("clear returned while the pin was held").isTrue();
            Thread.onSpinWait();
        }
        assertThat(pin.read(kept, 40)).isEqualTo(filled(40, 5));
        pin.close();
        clearing.join();
        assertThat(log.totalBytes()).isZero();
    }
}
