package dev.beacon.fault;

import java.io.IOException;
import java.util.List;

/**
 * Cuts a server off from its peers with iptables rules in a chain of this run's own, and always removes them. A
 * server's Raft traffic to a peer is matched by its uid (see {@link ServerProcess}) and the peer's Raft address;
 * HTTP from the test's clients is not touched, so a cut-off server still takes requests, as a real one would.
 */
final class Partitions implements AutoCloseable {
    private final String chain = "BEACON-FAULT-" + ProcessHandle.current().pid();
    private boolean installed;

    /** Whether this process may change firewall rules (root, with iptables present). */
    static boolean available() {
        try {
            ServerProcess.run("iptables", "-n", "-L", "OUTPUT");
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Drops all Raft traffic between {@code cut} and each of {@code others}, both ways. */
    void isolate(ServerProcess cut, List<ServerProcess> others) throws IOException, InterruptedException {
        install();
        for (ServerProcess other : others) {
            drop(cut, other);
            drop(other, cut);
        }
    }

    /** Removes every rule; the chain stays hooked until {@link #close()}. */
    void heal() throws IOException, InterruptedException {
        if (installed) {
            ServerProcess.run("iptables", "-F", chain);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (installed) {
            ServerProcess.run("iptables", "-D", "OUTPUT", "-j", chain);
            ServerProcess.run("iptables", "-F", chain);
            ServerProcess.run("iptables", "-X", chain);
            installed = false;
        }
    }

    private void install() throws IOException, InterruptedException {
        if (!installed) {
            ServerProcess.run("iptables", "-N", chain);
            ServerProcess.run("iptables", "-I", "OUTPUT", "-j", chain);
            installed = true;
        }
    }

    private void drop(ServerProcess from, ServerProcess to) throws IOException, InterruptedException {
        for (String protocol : List.of("tcp", "udp")) {
            ServerProcess.run("iptables", "-A", chain, "-p", protocol, "-m", "owner", "--uid-owner",
                    from.uid().toString(), "-d", ServerProcess.address(to.number()), "--dport",
                    Integer.toString(to.raftPort()), "-j", "DROP");
        }
    }
}
