package dev.beacon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The deployment files pass the tools that check them: shellcheck, ruby, vagrant (both providers). */
class DeployScriptsTest {

    @Test
    void shellScriptsAreShellcheckClean() {
        Tool.Result result = Tool.run(List.of("shellcheck", "--severity=style", "provision.sh", "bin/beacon",
                "test/deploy/provision-cluster-test.sh", "test/deploy/compose-cluster-test.sh"));
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void vagrantfileIsValidRuby() {
        Tool.Result result = Tool.run(List.of("ruby", "-c", "Vagrantfile"));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Syntax OK");
    }

    /** With -p (ignore provider settings): a full check needs VirtualBox itself installed. */
    @Test
    void vagrantfileValidatesForVirtualBox() {
        assertValidates("virtualbox", List.of("vagrant", "validate", "-p"));
    }

    /** vagrant-libvirt checks its provider settings without a libvirt daemon, so both ways. */
    @Test
    void vagrantfileValidatesForLibvirt() {
        assertValidates("libvirt", List.of("vagrant", "validate", "-p"));
        assertValidates("libvirt", List.of("vagrant", "validate"));
    }

    private static void assertValidates(String provider, List<String> command) {
        Tool.Result result = Tool.run(command,
                Map.of("VAGRANT_DEFAULT_PROVIDER", provider, "VAGRANT_CHECKPOINT_DISABLE", "1"));
        assertThat(result.exitCode()).as(command + ": " + result.output()).isZero();
        assertThat(result.output()).contains("Vagrantfile validated successfully");
    }
}
