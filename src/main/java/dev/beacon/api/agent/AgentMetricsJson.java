package dev.beacon.api.agent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

/**
 * {@code /v1/agent/metrics} in Consul's JSON shape, from the server's Micrometer meters: gauges as {@code Gauges},
 * counters as {@code Counters}, timers and distributions as {@code Samples} (times in milliseconds, as Consul's).
 * Consul reports the last ten-second interval; Micrometer's meters here are cumulative, so a counter's
 * {@code Count} and {@code Sum} are its total since start and a sample's {@code Min} is not known (0).
 */
record AgentMetricsJson(@JsonProperty("Timestamp") String timestamp,
                        @JsonProperty("Gauges") List<GaugeJson> gauges,
                        @JsonProperty("Points") List<Object> points,
                        @JsonProperty("Counters") List<SampledJson> counters,
                        @JsonProperty("Samples") List<SampledJson> samples) {
    /** Consul's (Go's) way of writing the interval's time. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000 UTC'").withZone(ZoneOffset.UTC);

    record GaugeJson(@JsonProperty("Name") String name, @JsonProperty("Value") double value,
                     @JsonProperty("Labels") Map<String, String> labels) {
    }

    record SampledJson(@JsonProperty("Name") String name, @JsonProperty("Count") long count,
                       @JsonProperty("Sum") double sum, @JsonProperty("Min") double min,
                       @JsonProperty("Max") double max, @JsonProperty("Mean") double mean,
                       @JsonProperty("Stddev") double stddev, @JsonProperty("Labels") Map<String, String> labels) {
        static SampledJson total(String name, double total, Map<String, String> labels) {
            return new SampledJson(name, (long) total, total, 0, total, total, 0, labels);
        }

        static SampledJson of(String name, long count, double sum, double max, Map<String, String> labels) {
            return new SampledJson(name, count, sum, 0, max, count == 0 ? 0 : sum / count, 0, labels);
        }
    }

    static AgentMetricsJson of(MeterRegistry registry, Instant now) {
        List<GaugeJson> gauges = new ArrayList<>();
        List<SampledJson> counters = new ArrayList<>();
        List<SampledJson> samples = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            Map<String, String> labels = labels(meter);
            if (meter instanceof TimeGauge g) {
                gauges.add(new GaugeJson(name, finite(g.value(TimeUnit.MILLISECONDS)), labels));
            } else if (meter instanceof Gauge g) {
                gauges.add(new GaugeJson(name, finite(g.value()), labels));
            } else if (meter instanceof Counter c) {
                counters.add(SampledJson.total(name, c.count(), labels));
            } else if (meter instanceof FunctionCounter c) {
                counters.add(SampledJson.total(name, finite(c.count()), labels));
            } else if (meter instanceof Timer t) {
                samples.add(SampledJson.of(name, t.count(), t.totalTime(TimeUnit.MILLISECONDS),
                        t.max(TimeUnit.MILLISECONDS), labels));
            } else if (meter instanceof FunctionTimer t) {
                samples.add(SampledJson.of(name, (long) t.count(), finite(t.totalTime(TimeUnit.MILLISECONDS)), 0,
                        labels));
            } else if (meter instanceof LongTaskTimer t) {
                samples.add(SampledJson.of(name, t.activeTasks(), t.duration(TimeUnit.MILLISECONDS),
                        t.max(TimeUnit.MILLISECONDS), labels));
            } else if (meter instanceof DistributionSummary d) {
                samples.add(SampledJson.of(name, d.count(), d.totalAmount(), d.max(), labels));
            }
            // Other (custom) meters carry no single value Consul's shape could show.
        }
        return new AgentMetricsJson(TIMESTAMP.format(now), gauges, List.of(), counters, samples);
    }

    private static Map<String, String> labels(Meter meter) {
        Map<String, String> labels = new TreeMap<>();
        for (Tag tag : meter.getId().getTags()) {
            labels.put(tag.getKey(), tag.getValue());
        }
        return labels;
    }

    /** JSON has no NaN: a gauge whose object is gone reads NaN in Micrometer. */
    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0;
    }
}
