package dev.beacon;

import java.net.URL;
import java.security.CodeSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.util.ClassUtils;

@SpringBootApplication
public class BeaconApplication {
    /** Written by the build's {@code process-aot} step: the context's bean definitions as code. */
    private static final String AOT_INITIALIZER = BeaconApplication.class.getName() + "__ApplicationContextInitializer";
    private static final String AOT_ENABLED = "spring.aot.enabled";

    public static void main(String[] args) {
        useBuildTimeContext();
        StartFailureExit.install(SpringApplication.run(BeaconApplication.class, args));
    }

    /**
     * A packaged server starts from the bean definitions generated at build time instead of scanning and evaluating
     * configuration classes, which takes about a second off every start. Only from a jar: classes in a directory
     * are a development build, whose generated code may be stale or missing, and the build's own AOT step runs
     * from there. {@code -Dspring.aot.enabled=false} keeps the usual start.
     */
    private static void useBuildTimeContext() {
        if (System.getProperty(AOT_ENABLED) == null && ranFromJar()
                && ClassUtils.isPresent(AOT_INITIALIZER, BeaconApplication.class.getClassLoader())) {
            System.setProperty(AOT_ENABLED, "true");
        }
    }

    /** Classes compiled into a directory have a {@code file:} location ending in a slash; a jar's do not. */
    private static boolean ranFromJar() {
        CodeSource source = BeaconApplication.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return false;
        }
        URL location = source.getLocation();
        return !("file".equals(location.getProtocol()) && location.getPath().endsWith("/"));
    }
}
