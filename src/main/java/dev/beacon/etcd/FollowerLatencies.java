package dev.beacon.etcd;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the leader has measured of each follower, for etcd's /v2/stats/leader: running latency statistics of the
 * samples fed to it and counts of successful and failed contacts. Keyed by the follower's Raft address
 * ({@code host:port}), the name the Raft layer knows it by; the etcd front door maps addresses to member ids.
 * <p>
 * Statistics are kept incrementally (Welford's method) so that a follower costs a few numbers however long the
 * leader runs, and the mean and variance stay accurate where the naive sum-of-squares formula loses precision.
 * The standard deviation is the population one (divided by n), as etcd's {@code sqrt(E[x^2] - E[x]^2)} is.
 * Thread-safe: samples come from the Raft thread, reads from HTTP threads.
 */
public final class FollowerLatencies {
    private final Map<String, Follower> followers = new ConcurrentHashMap<>();

    /** A successful contact whose round trip took {@code latencyMillis}. */
    public void success(String follower, double latencyMillis) {
        followers.computeIfAbsent(follower, f -> new Follower()).success(latencyMillis);
    }

    /** A failed contact (no answer, or an error). */
    public void failure(String follower) {
        followers.computeIfAbsent(follower, f -> new Follower()).failure();
    }

    /** Forgets a follower, e.g. one removed from the Raft configuration. */
    public void forget(String follower) {
        followers.remove(follower);
    }

    /** Every follower with at least one sample, by address. */
    public Map<String, Stats> snapshot() {
        Map<String, Stats> stats = new TreeMap<>();
        followers.forEach((follower, state) -> stats.put(follower, state.stats()));
        return stats;
    }

    /**
     * One follower's numbers, in milliseconds. Latency fields are 0 until the first success (etcd would show its
     * initial minimum, 2^63, there).
     */
    public record Stats(double current, double average, double standardDeviation, double minimum, double maximum,
                        long success, long fail) {
    }

    private static final class Follower {
        private long success;
        private long fail;
        private double current;
        private double mean;
        /** Sum of squared differences from the mean (Welford's M2). */
        private double m2;
        private double minimum = Double.POSITIVE_INFINITY;
        private double maximum = Double.NEGATIVE_INFINITY;

        synchronized void success(double latency) {
            success++;
            current = latency;
            double delta = latency - mean;
            mean += delta / success;
            m2 += delta * (latency - mean);
            minimum = Math.min(minimum, latency);
            maximum = Math.max(maximum, latency);
        }

        synchronized void failure() {
            fail++;
        }

        synchronized Stats stats() {
            if (success == 0) {
                return new Stats(0, 0, 0, 0, 0, 0, fail);
            }
            return new Stats(current, mean, Math.sqrt(m2 / success), minimum, maximum, success, fail);
        }
    }
}
