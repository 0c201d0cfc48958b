package dev.beacon.api.event;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.agent.LocalAgent;
import dev.beacon.agent.ServiceDefinition;
import dev.beacon.api.ApiException;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.ConsulHeaders;
import dev.beacon.api.QueryParams;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.RequestBodies;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.Event;
import dev.beacon.state.Query;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Consul's user events. Consul gossips them; here they are replicated through Raft, which gives every server
 * the same ordered list. Each agent lists the events meant for it: the node filter must match its node name,
 * and the service (and tag) filter one of its services. The list is this replica's, blocking on the events
 * table, as Consul's agent answers from what it has received.
 */
@RestController
@RequestMapping("/v1/event")
class EventController {
    /** Consul's limit on a user event's payload. */
    static final int MAX_PAYLOAD_BYTES = 9 * 1024;

    private final Replicator replicator;
    private final BlockingQueries queries;
    private final ConsulHeaders headers;
    private final LocalAgent agent;

    EventController(Replicator replicator, BlockingQueries queries, ConsulHeaders headers, LocalAgent agent) {
        this.replicator = replicator;
        this.queries = queries;
        this.headers = headers;
        this.agent = agent;
    }

    record EventJson(@JsonProperty("ID") String id, @JsonProperty("Name") String name,
                     @JsonProperty("Payload") String payload, @JsonProperty("NodeFilter") String nodeFilter,
                     @JsonProperty("ServiceFilter") String serviceFilter,
                     @JsonProperty("TagFilter") String tagFilter, @JsonProperty("Version") int version,
                     @JsonProperty("LTime") long lTime) {
        static EventJson of(Event e) {
            return new EventJson(e.id(), e.name(),
                    e.payload() == null ? null : Base64.getEncoder().encodeToString(e.payload()), e.nodeFilter(),
                    e.serviceFilter(), e.tagFilter(), 1, e.lTime());
        }
    }

    @PutMapping("/fire/{name}")
    CompletableFuture<EventJson> fire(@PathVariable String name, HttpServletRequest request) throws IOException {
        QueryParams params = QueryParams.of(request, Set.of("node", "service", "tag"));
        byte[] payload = RequestBodies.read(request, MAX_PAYLOAD_BYTES,
                "Request body too large, max size: " + MAX_PAYLOAD_BYTES + " bytes");
        Event event = new Event(UUID.randomUUID().toString(), name, payload.length == 0 ? null : payload,
                params.get("node"), params.get("service"), params.get("tag"), 0);
        if (!event.tagFilter().isEmpty() && event.serviceFilter().isEmpty()) {
            throw ApiException.badRequest("Cannot provide tag filter without service filter.");
        }
        List.of(event.nodeFilter(), event.serviceFilter(), event.tagFilter()).forEach(EventController::requireRegex);
        return replicator.submit(new Command.FireEvent(event)).thenApply(outcome -> EventJson.of(event));
    }

    /** The events for this agent, oldest first; {@code ?name=} keeps one event name. */
    @GetMapping("/list")
    CompletableFuture<ResponseEntity<List<EventJson>>> list(HttpServletRequest request) {
        QueryParams params = QueryParams.of(request, Set.of("name"));
        String name = params.get("name");
        ReadOptions requested = ReadOptions.from(params);
        ReadOptions local = new ReadOptions(ReadOptions.Consistency.STALE, requested.index(), requested.maxWait());
        return queries.read(local, new Query.Events()).thenApply(result -> {
            List<EventJson> body = result.value().stream()
                    .filter(e -> name == null || name.isEmpty() || e.name().equals(name))
                    .filter(this::meantForThisAgent)
                    .map(EventJson::of).toList();
            return ResponseEntity.ok().headers(headers.forIndex(result.index()))
                    .contentType(MediaType.APPLICATION_JSON).body(body);
        });
    }

    private boolean meantForThisAgent(Event e) {
        if (!e.nodeFilter().isEmpty() && !Pattern.compile(e.nodeFilter()).matcher(agent.self().name()).find()) {
            return false;
        }
        if (e.serviceFilter().isEmpty()) {
            return true;
        }
        Pattern service = Pattern.compile(e.serviceFilter());
        Pattern tag = e.tagFilter().isEmpty() ? null : Pattern.compile(e.tagFilter());
        for (ServiceDefinition s : agent.services()) {
            if (service.matcher(s.name()).find()
                    && (tag == null || s.tags().stream().anyMatch(t -> tag.matcher(t).find()))) {
                return true;
            }
        }
        return false;
    }

    private static void requireRegex(String filter) {
        try {
            Pattern.compile(filter);
        } catch (PatternSyntaxException e) {
            throw ApiException.badRequest("Invalid filter regular expression: " + filter);
        }
    }
}
