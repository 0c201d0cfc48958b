package dev.beacon.api.agent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.sun.management.OperatingSystemMXBean;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.ConsulVersion;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.config.BeaconProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What tools ask an agent about itself: {@code /v1/agent/version}, {@code /v1/agent/host} (the machine, in the
 * field names of Consul's answer) and {@code /v1/agent/metrics}, the server's metrics as Consul's JSON or, with
 * {@code ?format=prometheus}, in Prometheus' text format for scraping (as Consul's documentation tells Prometheus
 * users to configure).
 */
@Component
class AgentInfoRoutes implements ApiRoutes {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final MeterRegistry registry;
    private final ObjectProvider<PrometheusMeterRegistry> prometheus;
    private final BeaconProperties properties;
    private final Clock clock;

    AgentInfoRoutes(MeterRegistry registry, ObjectProvider<PrometheusMeterRegistry> prometheus,
                    BeaconProperties properties) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    record VersionJson(@JsonProperty("SHA") String sha, @JsonProperty("BuildDate") String buildDate,
                       @JsonProperty("HumanVersion") String humanVersion, @JsonProperty("FIPS") String fips) {
    }

    record HostJson(@JsonProperty("Memory") Map<String, Object> memory, @JsonProperty("CPU") List<Object> cpu,
                    @JsonProperty("Host") Map<String, Object> host, @JsonProperty("Disk") Map<String, Object> disk,
                    @JsonProperty("CollectionTime") long collectionTime,
                    @JsonProperty("Errors") List<String> errors) {
    }

    @Override
    public void register(RouteTable.Builder routes) {
        // As in Consul: the version needs no token, host information is operator:read, metrics agent:read.
        routes.get("/v1/agent/version", Route.Resource.NONE, this::version)
                .get("/v1/agent/host", Route.Resource.OPERATOR, this::host)
                .get("/v1/agent/metrics", Route.Resource.AGENT, this::metrics);
    }

    private CompletionStage<ApiResponse> version(ApiRequest request) {
        String implementation = AgentInfoRoutes.class.getPackage().getImplementationVersion();
        return CompletableFuture.completedFuture(ApiResponse.json(new VersionJson(
                implementation == null ? "beacon" : "beacon-" + implementation, "",
                ConsulVersion.VERSION, "")));
    }

    private CompletionStage<ApiResponse> metrics(ApiRequest request) {
        String format = request.params().get("format");
        if (format == null || format.isEmpty()) {
            return CompletableFuture.completedFuture(ApiResponse.json(AgentMetricsJson.of(registry, clock.instant())));
        }
        if (!format.equals("prometheus")) {
            throw ApiException.badRequest("Invalid format " + format + ": only prometheus is known");
        }
        PrometheusMeterRegistry scraped = prometheus.getIfAvailable();
        if (scraped == null) {
            throw ApiException.badRequest("Prometheus metrics are switched off on this agent");
        }
        return CompletableFuture.completedFuture(ApiResponse.raw(PROMETHEUS_TEXT,
                scraped.scrape().getBytes(StandardCharsets.UTF_8), ApiResponse.NOT_A_READ));
    }

    private CompletionStage<ApiResponse> host(ApiRequest request) {
        List<String> errors = new ArrayList<>();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long total = os.getTotalMemorySize();
        long free = os.getFreeMemorySize();
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("total", total);
        memory.put("available", free);
        memory.put("used", total - free);
        memory.put("usedPercent", total == 0 ? 0.0 : 100.0 * (total - free) / total);
        memory.put("free", free);
        memory.put("swapTotal", os.getTotalSwapSpaceSize());
        memory.put("swapFree", os.getFreeSwapSpaceSize());

        List<Object> cpus = new ArrayList<>();
        for (int i = 0; i < os.getAvailableProcessors(); i++) {
            Map<String, Object> cpu = new LinkedHashMap<>();
            cpu.put("cpu", i);
            cpu.put("coreId", Integer.toString(i));
            cpu.put("cores", 1);
            cpus.add(cpu);
        }

        Map<String, Object> host = new LinkedHashMap<>();
        host.put("hostname", hostName(errors));
        host.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        host.put("procs", 1);
        host.put("os", System.getProperty("os.name").toLowerCase());
        host.put("kernelVersion", System.getProperty("os.version"));
        host.put("kernelArch", System.getProperty("os.arch"));

        Map<String, Object> disk = new LinkedHashMap<>();
        Path dataDir = properties.dataDir().toAbsolutePath();
        disk.put("path", dataDir.toString());
        try {
            FileStore store = Files.getFileStore(Files.exists(dataDir) ? dataDir : dataDir.getRoot());
            long diskTotal = store.getTotalSpace();
            long diskFree = store.getUsableSpace();
            disk.put("fstype", store.type());
            disk.put("total", diskTotal);
            disk.put("free", diskFree);
            disk.put("used", diskTotal - diskFree);
            disk.put("usedPercent", diskTotal == 0 ? 0.0 : 100.0 * (diskTotal - diskFree) / diskTotal);
        } catch (IOException e) {
            errors.add("disk: " + e.getMessage());
        }
        Instant now = clock.instant();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return CompletableFuture.completedFuture(ApiResponse.json(new HostJson(memory, cpus, host, disk, nanos,
                errors.isEmpty() ? null : errors)));
    }

    private static String hostName(List<String> errors) {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            errors.add("hostname: " + e.getMessage());
            return "";
        }
    }
}
