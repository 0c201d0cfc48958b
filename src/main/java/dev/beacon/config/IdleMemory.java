package dev.beacon.config;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets an idle server give memory back to the operating system. Started without flags, the JVM keeps the heap that
 * start-up churn made it commit (G1 shrinks only down to 70 % free), and glibc keeps the native memory freed by
 * class loading and the JIT: a dev server sat at ~280 MB resident with ~30 MB of live heap (bench/README.md, "Idle
 * memory"). Every server trims its native heap now and then, through the JVM's {@code System.trim_native_heap}
 * diagnostic command (JDK 17.0.9 and newer; skipped where it is missing). A single-server (dev) cluster also
 * lowers G1's free-heap ratios and turns on its periodic collection, where the operator has not set them
 * (manageable flags, settable at run time): after a while without a collection it runs a concurrent cycle and
 * uncommits the heap it does not use. Cluster servers keep the JVM's ratios: a lower ratio also shrinks a busy
 * server's heap at every concurrent cycle, and whether that costs throughput has not been measured.
 */
record IdleMemory(List<String> flagsSet, boolean trimsNativeHeap) {
    static final long PERIODIC_GC_MILLIS = 15_000;
    static final int MIN_HEAP_FREE_PERCENT = 10;
    static final int MAX_HEAP_FREE_PERCENT = 30;
    private static final long FIRST_TRIM_SECONDS = 30;
    private static final long TRIM_EVERY_SECONDS = 60;
    private static final Logger log = LoggerFactory.getLogger(IdleMemory.class);

    /**
     * Schedules the trims and, if {@code shrinkHeap}, sets the heap flags the operator left alone; says what it did.
     */
    static IdleMemory start(ScheduledExecutorService scheduler, boolean shrinkHeap) {
        List<String> set = new ArrayList<>();
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (shrinkHeap && hotspot != null && Boolean.parseBoolean(hotspot.getVMOption("UseG1GC").getValue())) {
            // Lowered in this order: the JVM refuses a maximum below the current minimum.
            setIfDefault(hotspot, "MinHeapFreeRatio", MIN_HEAP_FREE_PERCENT, set);
            setIfDefault(hotspot, "MaxHeapFreeRatio", MAX_HEAP_FREE_PERCENT, set);
            setIfDefault(hotspot, "G1PeriodicGCInterval", PERIODIC_GC_MILLIS, set);
        }
        NativeHeapTrim trim = NativeHeapTrim.find();
        if (trim != null) {
            scheduler.scheduleWithFixedDelay(trim::run, FIRST_TRIM_SECONDS, TRIM_EVERY_SECONDS, TimeUnit.SECONDS);
        }
        return new IdleMemory(List.copyOf(set), trim != null);
    }

    private static void setIfDefault(HotSpotDiagnosticMXBean hotspot, String flag, long value, List<String> set) {
        try {
            if (hotspot.getVMOption(flag).getOrigin() == VMOption.Origin.DEFAULT) {
                hotspot.setVMOption(flag, Long.toString(value));
                set.add(flag);
            }
        } catch (IllegalArgumentException e) {
            log.debug("Left -XX:{} as it is: {}", flag, e.getMessage());
        }
    }

    /** The diagnostic command that hands the C heap's free pages back to the operating system. */
    private record NativeHeapTrim(MBeanServer server, ObjectName commands) {
        private static final String OPERATION = "systemTrimNativeHeap";

        static NativeHeapTrim find() {
            try {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                ObjectName commands = new ObjectName("com.sun.management:type=DiagnosticCommand");
                for (var operation : server.getMBeanInfo(commands).getOperations()) {
                    if (operation.getName().equals(OPERATION)) {
                        return new NativeHeapTrim(server, commands);
                    }
                }
            } catch (JMException | RuntimeException e) {
                log.debug("No native heap trimming: {}", e.toString());
            }
            return null;
        }

        void run() {
            try {
                server.invoke(commands, OPERATION, new Object[] {new String[0]}, new String[] {String[].class.getName()});
            } catch (JMException | RuntimeException e) {
                log.debug("Native heap trim failed: {}", e.toString());
            }
        }
    }
}
