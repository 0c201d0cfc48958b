package dev.beacon;

import dev.beacon.cluster.ClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A server process whose part of the cluster failed to start (its Raft storage unreadable, say) exits with status 1
 * instead of running on without a cluster, answering "No cluster leader" and never ready: its supervisor (systemd's
 * {@code Restart=on-failure}, compose, Kubernetes) then sees the failure. Only the process {@code main} starts does
 * this; a server a test starts inside its own JVM is left running, failed, for the test to inspect.
 */
final class StartFailureExit {
    static final int EXIT_CODE = 1;
    private static final Logger log = LoggerFactory.getLogger(StartFailureExit.class);

    private StartFailureExit() {
    }

    static void install(ConfigurableApplicationContext context) {
        context.getBean(ClusterView.class).whenReady().exceptionally(failure -> {
            // Not on the Atomix thread that failed the start: exiting closes the context, which stops Atomix.
            Thread exit = new Thread(() -> {
                log.error("Stopping: this server could not start its part of the cluster ({}); the error is logged "
                        + "above", rootCause(failure));
                System.exit(EXIT_CODE);
            }, "beacon-start-failure");
            exit.start();
            return null;
        });
    }

    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.toString();
    }
}
