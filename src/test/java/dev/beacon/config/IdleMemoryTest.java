package dev.beacon.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.junit.jupiter.api.Test;

class IdleMemoryTest {
    private final HotSpotDiagnosticMXBean hotspot =
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void lowersTheFreeHeapRatiosAndTurnsOnPeriodicCollectionOnceAndThenLeavesThemAlone() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        try {
            boolean untouched = hotspot.getVMOption("MaxHeapFreeRatio").getOrigin() == VMOption.Origin.DEFAULT;
            IdleMemory first = IdleMemory.start(scheduler, true);
            if (untouched) {
                assertThat(first.flagsSet())
                        .containsExactly("MinHeapFreeRatio", "MaxHeapFreeRatio", "G1PeriodicGCInterval");
            }
            assertThat(hotspot.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("10");
            assertThat(hotspot.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("30");
            assertThat(hotspot.getVMOption("G1PeriodicGCInterval").getValue()).isEqualTo("15000");

            // Now that they are no longer at their defaults, as if the operator had set them, they stay as they are.
            hotspot.setVMOption("MaxHeapFreeRatio", "50");
            IdleMemory second = IdleMemory.start(scheduler, true);
            assertThat(second.flagsSet()).isEmpty();
            assertThat(hotspot.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("50");

            assertThat(first.trimsNativeHeap()).isTrue();
            assertThat(scheduler.getQueue()).hasSize(2);
            assertThat(IdleMemory.start(scheduler, false)).isEqualTo(new IdleMemory(List.of(), true));
        } finally {
            scheduler.shutdownNow();
        }
    }
}
