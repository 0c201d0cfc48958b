package dev.beacon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.beacon.config.BeaconProperties;
import org.junit.jupiter.api.Test;

/**
 * The deployment files pass the tools that check them: shellcheck, ruby, vagrant (both providers); and the
 * environment file provision.sh writes binds to the settings a VM's server needs.
 */
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

    @Test
    void provisionedServersServeEtcdOnEveryAddressUnlessTurnedOff() throws IOException {
        BeaconProperties on = BeaconEnvironment.bind(provisionedEnvironment(Map.of()));
        assertThat(on.ports().etcd()).isEqualTo(2379);
        assertThat(on.clientAddress()).as("reachable on the VM's private address").isEqualTo("0.0.0.0");
        assertThat(BeaconEnvironment.cluster(on).members()).containsExactly("192.168.56.11:8300",
                "192.168.56.12:8300", "192.168.56.13:8300");
        assertThat(BeaconEnvironment.bind(provisionedEnvironment(Map.of("BEACON_PORTS_ETCD", "-1"))).ports().etcd())
                .isEqualTo(-1);
    }

    @Test
    void vagrantPassesTheEtcdPortToProvisioning() throws IOException {
        String vagrantfile = Files.readString(Tool.PROJECT.resolve("Vagrantfile"));
        assertThat(vagrantfile).contains("ENV.fetch(\"BEACON_PORTS_ETCD\", \"2379\")")
                .contains("\"BEACON_PORTS_ETCD\" => ETCD_PORT.to_s");
    }

    /**
     * beacon.env as provision.sh writes it for beacon-1 of the Vagrant cluster: its settings (the assignments
     * before its first function), the peer count it computes, and the file's here-document, run by bash without
     * the root-only rest.
     */
    private static Map<String, String> provisionedEnvironment(Map<String, String> environment) throws IOException {
        String script = Files.readString(Tool.PROJECT.resolve("provision.sh"));
        StringBuilder settings = new StringBuilder();
        for (String line : script.substring(0, script.indexOf("\nlog() {")).split("\n")) {
            if (line.matches("[a-z_]+=.*")) {
                settings.append(line).append('\n');
            }
        }
        int peers = script.indexOf("  local others=");
        int start = script.indexOf("{ cat <<EOF; secure_settings; }");
        assertThat(peers).as("provision.sh counts the peers").isPositive();
        assertThat(start).as("provision.sh writes beacon.env from a here-document").isGreaterThan(peers);
        int body = script.indexOf('\n', start) + 1;
        String document = script.substring(body, script.indexOf("\nEOF\n", body));
        String program = settings + "env_file() {\n" + script.substring(peers, start) + "cat <<EOF\n" + document
                + "\nEOF\n}\nenv_file\n";
        Map<String, String> env = new HashMap<>(environment);
        env.put("BEACON_JAR", "/vagrant/target/beacon.jar");
        Tool.Result result = Tool.run(List.of("bash", "-euc", program, "provision.sh", "beacon-1", "192.168.56.11",
                "192.168.56.12,192.168.56.13"), env);
        assertThat(result.exitCode()).as(result.output()).isZero();
        Map<String, String> written = new HashMap<>();
        for (String line : result.output().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                written.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        assertThat(BeaconEnvironment.KNOWN_NAMES).containsAll(
                written.keySet().stream().filter(k -> k.startsWith("BEACON_")).toList());
        return written;
    }

    private static void assertValidates(String provider, List<String> command) {
        Tool.Result result = Tool.run(command,
                Map.of("VAGRANT_DEFAULT_PROVIDER", provider, "VAGRANT_CHECKPOINT_DISABLE", "1"));
        assertThat(result.exitCode()).as(command + ": " + result.output()).isZero();
        assertThat(result.output()).contains("Vagrantfile validated successfully");
    }
}
