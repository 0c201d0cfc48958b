package dev.beacon.cluster;

/**
 * A server of some datacenter, as this server sees it over the WAN (Consul's WAN pool, {@code consul members -wan}).
 *
 * @param node       the server's node name
 * @param datacenter its datacenter
 * @param host       the address its WAN port listens on
 * @param port       its WAN port ({@code beacon.ports.serf-wan})
 * @param alive      whether it answered (or called) recently
 * @param rttMillis  the smoothed round trip of this server's pings to it; {@code NaN} until one was answered, 0 for
 *                   this server itself
 */
public record WanMember(String node, String datacenter, String host, int port, boolean alive, double rttMillis) {

    /** Consul's WAN member name, {@code node.datacenter}. */
    public String wanName() {
        return node + "." + datacenter;
    }

    /** {@code host:port}, the address requests are forwarded to. */
    public String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
