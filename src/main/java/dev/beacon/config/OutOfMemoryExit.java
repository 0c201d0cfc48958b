package dev.beacon.config;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server that hit an OutOfMemoryError must exit at once, so that its supervisor restarts it: Atomix swallows
 * the error on its Raft thread and runs on in a state that has read an unmapped log segment and killed the JVM
 * with SIGSEGV (bench/README.md, "Storage quota"). Only a JVM flag can do that, and a jar cannot set its own
 * flags, so every launcher we ship passes {@code -XX:+ExitOnOutOfMemoryError}; a server started without it says so.
 */
final class OutOfMemoryExit {
    private static final Logger log = LoggerFactory.getLogger(OutOfMemoryExit.class);
    private static final String FLAG = "ExitOnOutOfMemoryError";

    private OutOfMemoryExit() {
    }

    static void warnIfOff() {
        if (!isOn()) {
            log.warn("The JVM was started without -XX:+{}: after an OutOfMemoryError this server would run on in an "
                    + "unknown state instead of exiting. Start it with java -XX:+{} -jar beacon.jar", FLAG, FLAG);
        }
    }

    private static boolean isOn() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return hotspot != null && Boolean.parseBoolean(hotspot.getVMOption(FLAG).getValue());
    }
}
