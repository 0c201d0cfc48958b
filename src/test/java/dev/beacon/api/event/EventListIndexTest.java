package dev.beacon.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.beacon.state.Event;
import org.junit.jupiter.api.Test;

/** An event list's index, which event watches compare with their events' IDs. */
class EventListIndexTest {
    private static Event event(String id) {
        return new Event(id, "deploy", null, "", "", "", 0);
    }

    @Test
    void anEmptyListHasIndexOne() {
        assertThat(EventRoutes.listIndex(List.of())).isEqualTo(1);
    }

    @Test
    void theIndexIsTheLastEventsIdWithItsHalvesXored() {
        // The vector of Consul's own TestUUIDToUint64.
        assertThat(EventRoutes.listIndex(List.of(event("00000000-0000-0000-0000-000000000001"),
                event("cb9a81ad-fff6-52ac-92a7-5f70687805ec")))).isEqualTo(6430540886266763072L);
    }

    @Test
    void anIdWhoseIndexNeedsAllSixtyFourBitsIsAnUnsignedNumber() {
        long index = EventRoutes.listIndex(List.of(event("ffffffff-ffff-fffe-0000-000000000000")));
        assertThat(Long.toUnsignedString(index)).isEqualTo("18446744073709551614");
    }
}
