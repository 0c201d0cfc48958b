package dev.beacon.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/**
 * What is registered with this agent, kept in the data directory so that a restarted agent still knows its
 * services and checks (as Consul's agents do) instead of anti-entropy removing them from the catalog. Written
 * whole, to a temporary file that then replaces the old one, so a crash never leaves half a file.
 */
public final class AgentStateFile {
    /** Services with their checks, and checks registered on their own (maintenance mode included). */
    public record State(List<ServiceDefinition> services, List<CheckDefinition> checks) {
        public State {
            services = List.copyOf(services);
            checks = List.copyOf(checks);
        }
    }

    private final Path file;
    private final JsonMapper json;

    public AgentStateFile(Path file, JsonMapper json) {
        this.file = file;
        this.json = json;
    }

    public synchronized void save(State state) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, json.writeValueAsBytes(state));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the agent's registrations in " + file, e);
        }
    }

    /** What was saved last, or nothing if this agent never registered anything. */
    public synchronized State load() {
        if (!Files.exists(file)) {
            return new State(List.of(), List.of());
        }
        try {
            return json.readValue(Files.readAllBytes(file), State.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent's registrations from " + file, e);
        }
    }
}
