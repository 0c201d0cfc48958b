package dev.beacon.api.coordinate;

import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A network coordinate in Consul's shape (Vivaldi: a vector, an error, an adjustment and a height, in seconds).
 * Beacon does not run Vivaldi: it places this server at the origin and every server it has measured at the
 * height of its round trip, so the distance Consul's clients compute between this server and another (the sum of
 * the heights, the vectors being equal) is the round trip this server measured to it. Distances between two other
 * servers are therefore only estimates (the sum of their round trips to this one).
 */
public record Coordinate(@JsonProperty("Vec") List<Double> vec, @JsonProperty("Error") double error,
                         @JsonProperty("Adjustment") double adjustment, @JsonProperty("Height") double height) {
    private static final int DIMENSIONS = 8;
    /** Consul's smallest height, and a new node's error. */
    private static final double MIN_HEIGHT = 1.0e-5;
    private static final double NEW_ERROR = 1.5;
    /** The error of a position made from a direct measurement, which is all Beacon's are. */
    private static final double MEASURED_ERROR = 0.2;

    /** Where a node with no measurement starts, as Consul's {@code NewCoordinate}: this server's own place. */
    public static Coordinate origin() {
        return new Coordinate(Collections.nCopies(DIMENSIONS, 0.0), NEW_ERROR, 0, MIN_HEIGHT);
    }

    /** A server this one measured a round trip of {@code rttMillis} to; null when there is no measurement yet. */
    public static Coordinate measured(double rttMillis) {
        if (Double.isNaN(rttMillis)) {
            return null;
        }
        if (rttMillis == 0) {
            return origin();
        }
        double height = Math.max(MIN_HEIGHT, rttMillis / 1000 - MIN_HEIGHT);
        return new Coordinate(Collections.nCopies(DIMENSIONS, 0.0), MEASURED_ERROR, 0, height);
    }
}
