package dev.beacon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs test/deploy/provision-cluster-test.sh against the jar this build just packaged: provision.sh, unmodified,
 * on three booted Debian machines in network namespaces, and the cluster checks. Needs root and a few minutes
 * (more on the first run, which caches a Debian tree), so it runs only with {@code -Pdeploy}.
 */
@Tag("deploy")
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class ProvisionClusterIT {

    @Test
    void provisionShFormsAThreeServerCluster() {
        Tool.Result result = Tool.run(List.of("test/deploy/provision-cluster-test.sh"), Map.of(),
                Duration.ofMinutes(20));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("all checks passed").doesNotContain("FAIL:");
    }
}
