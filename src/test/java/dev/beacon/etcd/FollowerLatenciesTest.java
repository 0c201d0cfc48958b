package dev.beacon.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

class FollowerLatenciesTest {

    @Test
    void keepsCurrentMeanPopulationDeviationMinimumAndMaximum() {
        FollowerLatencies latencies = new FollowerLatencies();
        for (double sample : new double[] {2, 4, 4, 4, 5, 5, 7, 9}) {
            latencies.success("10.0.0.2:8300", sample);
        }
        latencies.failure("10.0.0.2:8300");

        FollowerLatencies.Stats stats = latencies.snapshot().get("10.0.0.2:8300");

        // The textbook example: mean 5, population standard deviation exactly 2.
        assertThat(stats).isEqualTo(new FollowerLatencies.Stats(9, 5, 2, 2, 9, 8, 1));
    }

    @Test
    void agreesWithTheTwoPassFormulaOnManySamples() {
        FollowerLatencies latencies = new FollowerLatencies();
        Random random = new Random(42);
        double[] samples = new double[5000];
        for (int i = 0; i < samples.length; i++) {
            // A large offset is where sum-of-squares loses precision and Welford does not.
            samples[i] = 1e6 + random.nextGaussian() * 3;
            latencies.success("f", samples[i]);
        }
        double mean = 0;
        for (double s : samples) {
            mean += s / samples.length;
        }
        double squares = 0;
        for (double s : samples) {
            squares += (s - mean) * (s - mean);
        }

        FollowerLatencies.Stats stats = latencies.snapshot().get("f");

        assertThat(stats.average()).isCloseTo(mean, within(1e-6));
        assertThat(stats.standardDeviation()).isCloseTo(Math.sqrt(squares / samples.length), within(1e-6));
        assertThat(stats.current()).isEqualTo(samples[samples.length - 1]);
        assertThat(stats.success()).isEqualTo(5000);
    }

    @Test
    void aFollowerWithOnlyFailuresHasZeroLatencies() {
        FollowerLatencies latencies = new FollowerLatencies();
        latencies.failure("b");
        latencies.failure("b");

        assertThat(latencies.snapshot()).containsOnlyKeys("b");
        assertThat(latencies.snapshot().get("b")).isEqualTo(new FollowerLatencies.Stats(0, 0, 0, 0, 0, 0, 2));
    }

    @Test
    void forgetsAFollower() {
        FollowerLatencies latencies = new FollowerLatencies();
        latencies.success("a", 1);
        latencies.success("b", 1);
        latencies.forget("a");

        assertThat(latencies.snapshot()).containsOnlyKeys("b");
    }
}
