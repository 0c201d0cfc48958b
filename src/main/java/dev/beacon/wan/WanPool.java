package dev.beacon.wan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.WanMember;

/**
 * This server's view of the WAN: every server of every datacenter it has heard of, whether each is alive, and the
 * round trip of its own pings to each. Servers are learned from the join list, from the servers that ping this one,
 * and from the lists they exchange (gossip); each is then pinged by this server itself, so that aliveness and round
 * trips are always first-hand. A server is alive while it answered or called within {@link #FAILED_AFTER}
 * ({@link #LOCAL_FAILED_AFTER} for this datacenter's, which are pinged less often); one that stays failed for
 * {@link #REAPED_AFTER} (Consul's {@code reconnect_timeout}) is forgotten.
 */
public final class WanPool implements Datacenters {
    static final long FAILED_AFTER = TimeUnit.SECONDS.toNanos(5);
    /**
     * This datacenter's servers are pinged every fifth round only: nothing is forwarded to them over the WAN, they
     * only appear in the WAN member list, and pinging them each second was most of an idle server's HTTP work.
     */
    static final long LOCAL_FAILED_AFTER = TimeUnit.SECONDS.toNanos(15);
    static final long REAPED_AFTER = TimeUnit.HOURS.toNanos(72);
    /** How much a new round trip moves the smoothed one: recent pings count most, one slow ping does not dominate. */
    private static final double SMOOTHING = 0.3;

    private volatile WanMember self;
    private final List<String> joinAddresses;
    private final LongSupplier clock;
    /** Known servers other than this one, by WAN name ({@code node.datacenter}). */
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    /** Join addresses whose server answered, and the WAN name it answered as. */
    private final Map<String, String> joined = new ConcurrentHashMap<>();

    /**
     * @param self          this server, with the address its WAN port listens on
     * @param joinAddresses {@code host:port} of servers to join (any datacenter's)
     * @param clock         {@link System#nanoTime}, or a test's clock
     */
    public WanPool(WanMember self, List<String> joinAddresses, LongSupplier clock) {
        this.self = self;
        this.joinAddresses = List.copyOf(joinAddresses);
        this.clock = clock;
    }

    private static final class Known {
        final String node;
        final String datacenter;
        volatile String host;
        volatile int port;
        final long firstHeard;
        /** When it last answered a ping of ours or pinged us; 0 if never. */
        volatile long lastContact;
        volatile double rttMillis = Double.NaN;

        Known(String node, String datacenter, String host, int port, long firstHeard) {
            this.node = node;
            this.datacenter = datacenter;
            this.host = host;
            this.port = port;
            this.firstHeard = firstHeard;
        }
    }

    /** This server, as it introduces itself to others. */
    public WanMember self() {
        return self;
    }

    /** The port this server's WAN port was given, when it was configured as 0 (any free port). */
    public void listeningOn(int port) {
        self = new WanMember(self.node(), self.datacenter(), self.host(), port, true, 0);
    }

    @Override
    public String local() {
        return self.datacenter();
    }

    /** A server answered our ping after {@code rttNanos}, from the join address {@code pinged} (or its own). */
    public void answered(String pinged, WanMember member, long rttNanos) {
        if (isSelf(member)) {
            joined.put(pinged, self.wanName());
            return;
        }
        Known entry = learn(member);
        entry.lastContact = clock.getAsLong();
        double rtt = rttNanos / 1e6;
        entry.rttMillis = Double.isNaN(entry.rttMillis) ? rtt : entry.rttMillis + SMOOTHING * (rtt - entry.rttMillis);
        joined.put(pinged, member.wanName());
    }

    /** A server pinged us: it is alive, and it says where its WAN port is. */
    public void calledBy(WanMember member) {
        if (!isSelf(member)) {
            learn(member).lastContact = clock.getAsLong();
        }
    }

    /** Another server told us of this one; we ping it ourselves before we count on it. */
    public void heardOf(WanMember member) {
        if (!isSelf(member)) {
            learn(member);
        }
    }

    private Known learn(WanMember member) {
        Known entry = known.computeIfAbsent(member.wanName(), name -> new Known(member.node(), member.datacenter(),
                member.host(), member.port(), clock.getAsLong()));
        // A server restarted on another address is the same server: it moves.
        entry.host = member.host();
        entry.port = member.port();
        return entry;
    }

    private boolean isSelf(WanMember member) {
        return member.wanName().equals(self.wanName());
    }

    /**
     * Where this round of pings goes: every known server of another datacenter, of this one too if {@code local},
     * and every join address not yet answered from.
     */
    public List<String> pingTargets(boolean local) {
        reap();
        List<String> targets = new ArrayList<>();
        known.values().stream().filter(k -> local || !k.datacenter.equals(self.datacenter()))
                .forEach(k -> targets.add(address(k)));
        joinAddresses.stream().filter(a -> !joined.containsKey(a) && !targets.contains(a)).forEach(targets::add);
        return targets;
    }

    private void reap() {
        long now = clock.getAsLong();
        known.values().removeIf(k -> now - Math.max(k.lastContact, k.firstHeard) > REAPED_AFTER);
        joined.values().removeIf(name -> !known.containsKey(name) && !name.equals(self.wanName()));
    }

    @Override
    public List<WanMember> members() {
        long now = clock.getAsLong();
        List<WanMember> members = new ArrayList<>();
        members.add(self);
        known.values().forEach(k -> members.add(view(k, now)));
        members.sort(Comparator.comparing(WanMember::datacenter).thenComparing(WanMember::node));
        return members;
    }

    @Override
    public List<WanMember> reachable(String datacenter) {
        if (datacenter.equals(self.datacenter())) {
            return List.of(self);
        }
        long now = clock.getAsLong();
        return known.values().stream()
                .filter(k -> k.datacenter.equals(datacenter))
                .map(k -> view(k, now))
                .filter(WanMember::alive)
                .sorted(BY_ROUND_TRIP)
                .toList();
    }

    @Override
    public List<String> byDistance() {
        long now = clock.getAsLong();
        Map<String, List<Double>> trips = new HashMap<>();
        for (Known k : known.values()) {
            WanMember member = view(k, now);
            List<Double> dc = trips.computeIfAbsent(member.datacenter(), d -> new ArrayList<>());
            if (member.alive() && !Double.isNaN(member.rttMillis())) {
                dc.add(member.rttMillis());
            }
        }
        trips.remove(self.datacenter());
        List<String> others = new ArrayList<>(trips.keySet());
        others.sort(Comparator.comparingDouble((String dc) -> median(trips.get(dc))).thenComparing(dc -> dc));
        List<String> all = new ArrayList<>();
        all.add(self.datacenter());
        all.addAll(others);
        return all;
    }

    /** A datacenter with no measured server sorts after every measured one. */
    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.MAX_VALUE;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static final Comparator<WanMember> BY_ROUND_TRIP = Comparator
            .comparingDouble((WanMember m) -> Double.isNaN(m.rttMillis()) ? Double.MAX_VALUE : m.rttMillis())
            .thenComparing(WanMember::node);

    /** How long a server of {@code datacenter} may go without contact before it counts as failed. */
    long failedAfter(String datacenter) {
        return datacenter.equals(self.datacenter()) ? LOCAL_FAILED_AFTER : FAILED_AFTER;
    }

    private WanMember view(Known k, long now) {
        long since = k.lastContact == 0 ? k.firstHeard : k.lastContact;
        return new WanMember(k.node, k.datacenter, k.host, k.port, now - since <= failedAfter(k.datacenter),
                k.rttMillis);
    }

    private static String address(Known k) {
        return new WanMember(k.node, k.datacenter, k.host, k.port, true, 0).address();
    }
}
