package dev.beacon.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

/**
 * {@code beacon.*} settings, named like Consul's. The defaults give a single-node dev server on 127.0.0.1.
 *
 * @param nodeName        this node's name in the catalog; defaults to the host name
 * @param datacenter      datacenter name
 * @param server          whether this node is a Raft voter (client agents are not implemented yet)
 * @param bootstrapExpect number of servers expected; if set, must equal 1 + the servers in retry-join
 * @param retryJoin       Raft addresses ({@code host} or {@code host:port}) of the other servers
 * @param retryJoinWan    WAN addresses ({@code host} or {@code host:port}, the port defaulting to
 *                        {@code ports.serf-wan}) of servers of other datacenters, as Consul's {@code retry_join_wan}
 * @param bindAddress     address the Raft/cluster port binds to and the address others reach this node at
 * @param clientAddress   address the HTTP API listens on
 * @param dataDir         where the Raft logs and snapshots live
 * @param storageQuota    how much data (estimated heap) this server holds before it refuses writes that add data;
 *                        unset: derived from the JVM's maximum heap ({@code StorageQuota.forHeap})
 * @param acl             access control lists, as Consul's {@code acl} block
 * @param tls             certificates for HTTPS and server-to-server traffic, as Consul's {@code tls} block
 * @param warmUp          whether the server sends itself 800 reads once it has joined, so that its first
 *                        real answers run compiled ({@code dev.beacon.api.AnswerWarmUp}; plain HTTP only); unset:
 *                        cluster servers do, a dev server does not (it would cost it ~15 MB of its ~190 MB idle)
 */
@ConfigurationProperties("beacon")
public record BeaconProperties(
        String nodeName,
        @DefaultValue("dc1") String datacenter,
        @DefaultValue("true") boolean server,
        @DefaultValue("0") int bootstrapExpect,
        @DefaultValue List<String> retryJoin,
        @DefaultValue List<String> retryJoinWan,
        @DefaultValue("127.0.0.1") String bindAddress,
        @DefaultValue("127.0.0.1") String clientAddress,
        @DefaultValue("beacon-data") Path dataDir,
        @DefaultValue Ports ports,
        @DefaultValue Raft raft,
        @DefaultValue Agent agent,
        DataSize storageQuota,
        @DefaultValue Acl acl,
        @DefaultValue Tls tls,
        Boolean warmUp) {

    /** A cluster of this one server (the dev server): it expects no other and joins none. */
    public boolean singleServer() {
        return bootstrapExpect <= 1 && retryJoin.isEmpty();
    }

    /** Whether this server warms its answer path up: as set, else only a server of a cluster. */
    public boolean warmsUp() {
        return warmUp != null ? warmUp : !singleServer();
    }

    /**
     * Listening ports; {@code raft} carries the server-to-server traffic of this datacenter, {@code serfWan} (on
     * bind-address) that between datacenters: WAN pings and forwarded requests; -1 turns it off, and with it every
     * other datacenter. {@code https} is off (-1) unless set, as in Consul; {@code http} -1 turns plain HTTP off.
     */
    public record Ports(@DefaultValue("8500") int http, @DefaultValue("8600") int dns,
                        @DefaultValue("8300") int raft, @DefaultValue("2379") int etcd,
                        @DefaultValue("-1") int https, @DefaultValue("8302") int serfWan) {
        public boolean httpOn() {
            return http >= 0;
        }

        public boolean httpsOn() {
            return https >= 0;
        }

        public boolean etcdOn() {
            return etcd >= 0;
        }

        public boolean serfWanOn() {
            return serfWan >= 0;
        }
    }

    /**
     * PEM files, as Consul's {@code ca_file}, {@code cert_file} and {@code key_file}: with all three set, servers
     * talk to each other over TLS (each presenting its certificate, each verifying the other's against the CA), and
     * {@code ports.https} can serve HTTPS. {@code verifyIncoming} makes HTTPS clients present a certificate the CA
     * signed, as Consul's {@code verify_incoming}.
     */
    public record Tls(Path caFile, Path certFile, Path keyFile, @DefaultValue("false") boolean verifyIncoming) {
        public Tls {
            int set = (caFile == null ? 0 : 1) + (certFile == null ? 0 : 1) + (keyFile == null ? 0 : 1);
            if (set != 0 && set != 3) {
                throw new IllegalArgumentException("beacon.tls needs ca-file, cert-file and key-file together");
            }
        }

        public boolean enabled() {
            return caFile != null;
        }
    }

    /**
     * ACLs, named as Consul's. With {@code enabled}, every request is authorized by its token; what no rule of the
     * token covers is decided by {@code defaultPolicy} ({@code allow} or {@code deny}). {@code downPolicy} is
     * accepted for Consul's configurations: a server resolves tokens from its own replica, so it is never without
     * them.
     */
    public record Acl(@DefaultValue("false") boolean enabled, @DefaultValue("allow") String defaultPolicy,
                      @DefaultValue("extend-cache") String downPolicy, @DefaultValue AclTokens tokens) {
        public Acl {
            if (!defaultPolicy.equals("allow") && !defaultPolicy.equals("deny")) {
                throw new IllegalArgumentException("beacon.acl.default-policy must be allow or deny, not "
                        + defaultPolicy);
            }
            if (!List.of("allow", "deny", "extend-cache", "async-cache").contains(downPolicy)) {
                throw new IllegalArgumentException("beacon.acl.down-policy must be allow, deny, extend-cache or "
                        + "async-cache, not " + downPolicy);
            }
        }
    }

    /**
     * Tokens given in configuration, by secret. {@code initialManagement} is created as a management token when
     * ACLs start (bootstrapping is then refused); {@code default} is what requests without a token act as (the
     * anonymous token when unset); {@code agent} what the agent's own catalog writes use when their registration
     * carried no token; {@code dns} what DNS answers are filtered with. Agent and DNS fall back to the default.
     */
    public record AclTokens(String initialManagement, @Name("default") String defaultToken, String agent,
                            String dns) {
    }

    /** The local agent: how often it makes the catalog match what is registered with it (anti-entropy). */
    public record Agent(@DefaultValue("30s") Duration syncInterval) {
    }

    /**
     * Raft tuning. The segment size is also the least log worth a snapshot ({@code CompactionPolicy}). Atomix reads
     * every entry of every segment kept when it opens the log, and again whenever a segment is mapped or unmapped,
     * so a restart costs in proportion to the segments kept: a busy small store kept up to two 128 MB segments
     * (~400,000 small entries). Each segment kept but not being read holds 2 x the entry limit of heap in Atomix,
     * so a large store (whose log between snapshots is half its size) wants few: 32 MB balances the two (a million
     * keys: about 20 segments, 80 MB of heap). The entry limit bounds one command, and requests are capped well
     * below it. The election timeout is how long followers wait for a dead leader (one to two timeouts) before they
     * elect another; the heartbeat interval is how often the leader tells them it is alive. The defaults suit servers
     * on one LAN (bench/README.md, "Raft timeouts"); raise both on slow or distant links.
     */
    public record Raft(@DefaultValue("32MB") DataSize segmentSize, @DefaultValue("2MB") DataSize maxEntrySize,
                       @DefaultValue("1000ms") Duration electionTimeout,
                       @DefaultValue("150ms") Duration heartbeatInterval) {
    }
}
