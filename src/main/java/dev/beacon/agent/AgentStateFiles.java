package dev.beacon.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.json.JsonMapper;

/**
 * What is registered with this agent, kept in the data directory so that a restarted agent still knows its
 * services and checks (as Consul's agents do) instead of anti-entropy removing them from the catalog. One small
 * file per service and per check registered on its own, so a registration costs the same however many there
 * are; each is written to a temporary file that then replaces the old one, so a crash never leaves half a file.
 * They hold the ACL tokens registrations carried, so only the server's own user may read them.
 */
public final class AgentStateFiles {
    /** Services with their checks, and checks registered on their own (maintenance mode included). */
    public record State(List<ServiceDefinition> services, List<CheckDefinition> checks) {
        public State {
            services = List.copyOf(services);
            checks = List.copyOf(checks);
        }
    }

    private final Path services;
    private final Path checks;
    private final JsonMapper json;

    public AgentStateFiles(Path directory, JsonMapper json) {
        this.services = directory.resolve("services");
        this.checks = directory.resolve("checks");
        this.json = json;
    }

    public void saveService(ServiceDefinition service) {
        write(services, service.id(), json.writeValueAsBytes(service));
    }

    public void deleteService(String id) {
        delete(services, id);
    }

    public void saveCheck(CheckDefinition check) {
        write(checks, check.checkId(), json.writeValueAsBytes(check));
    }

    public void deleteCheck(String checkId) {
        delete(checks, checkId);
    }

    /** Everything saved, or nothing if this agent never registered anything. */
    public State load() {
        return new State(readAll(services, ServiceDefinition.class), readAll(checks, CheckDefinition.class));
    }

    /** Ids may hold any character; their URL-safe base64 is always a valid file name. */
    private static String fileName(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8))
                + ".json";
    }

    private static void write(Path directory, String id, byte[] content) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(fileName(id));
            Path temporary = directory.resolve(fileName(id) + ".tmp");
            Files.write(temporary, content);
            ownerOnly(temporary);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the agent's registration " + id, e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static void delete(Path directory, String id) {
        try {
            Files.deleteIfExists(directory.resolve(fileName(id)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot forget the agent's registration " + id, e);
        }
    }

    private <T> List<T> readAll(Path directory, Class<T> type) {
        List<T> all = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return all;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                all.add(json.readValue(Files.readAllBytes(file), type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent's registrations from " + directory, e);
        }
        return all;
    }
}
