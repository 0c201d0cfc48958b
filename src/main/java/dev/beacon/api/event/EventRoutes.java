package dev.beacon.api.event;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.beacon.agent.LocalAgent;
import dev.beacon.agent.ServiceDefinition;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.Caller;
import dev.beacon.api.QueryParams;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.Event;
import dev.beacon.state.Query;
import org.springframework.stereotype.Component;

/**
 * Consul's user events. Consul gossips them; here they are replicated through Raft, which gives every server
 * the same ordered list. Each agent lists the events meant for it: the node filter must match its node name,
 * and the service (and tag) filter one of its services. The list is this replica's, blocking on the events
 * table, as Consul's agent answers from what it has received.
 */
@Component
class EventRoutes implements ApiRoutes {
    /** Consul's limit on a user event's payload. */
    private static final int MAX_PAYLOAD_BYTES = 9 * 1024;

    private final Replicator replicator;
    private final BlockingQueries queries;
    private final LocalAgent agent;

    EventRoutes(Replicator replicator, BlockingQueries queries, LocalAgent agent) {
        this.replicator = replicator;
        this.queries = queries;
        this.agent = agent;
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.write("PUT", "/v1/event/fire/", Route.Resource.EVENT, MAX_PAYLOAD_BYTES, this::fire)
                .get("/v1/event/list", Route.Resource.EVENT, this::list);
    }

    /** Fires the event the path names; {@code ?node=}, {@code ?service=} and {@code ?tag=} choose its agents. */
    private CompletionStage<ApiResponse> fire(ApiRequest request) {
        String name = request.name("Missing name");
        request.caller().require(request.caller().permissions().eventWrite(name), "event:write", name);
        QueryParams params = request.params();
        byte[] payload = request.body();
        Event event = new Event(UUID.randomUUID().toString(), name, payload.length == 0 ? null : payload,
                params.get("node"), params.get("service"), params.get("tag"), 0);
        if (!event.tagFilter().isEmpty() && event.serviceFilter().isEmpty()) {
            throw ApiException.badRequest("Cannot provide tag filter without service filter.");
        }
        List.of(event.nodeFilter(), event.serviceFilter(), event.tagFilter()).forEach(EventRoutes::requireRegex);
        return replicator.submit(new Command.FireEvent(event))
                .thenApply(outcome -> ApiResponse.json(EventJson.of(event)));
    }

    /**
     * The events for this agent, oldest first; {@code ?name=} keeps one event name. Always read from this replica,
     * whatever consistency was asked for: an agent lists the events it has received.
     * <p>
     * As in Consul, the list's index is made from its last event's ID ({@link #listIndex}), not from the log: a
     * watch ({@code consul watch -type=event}, Go's {@code Event().IDToIndex}) finds the events it already saw by
     * it. A blocking list waits while that index is still the one the client gave.
     */
    private CompletionStage<ApiResponse> list(ApiRequest request) {
        long deadline = System.nanoTime() + request.read().maxWait().toNanos();
        return listAfter(request, 0, deadline);
    }

    /** The list once the events table has moved past {@code tableIndex} (0: at once), or the deadline passed. */
    private CompletionStage<ApiResponse> listAfter(ApiRequest request, long tableIndex, long deadline) {
        String name = request.params().get("name");
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        ReadOptions local = new ReadOptions(ReadOptions.Consistency.STALE, tableIndex, left);
        Caller caller = request.caller();
        return queries.read(local, new Query.Events()).thenCompose(result -> {
            Caller.Filtered<Event> visible = caller.filter(result.value(),
                    e -> caller.permissions().eventRead(e.name()));
            List<Event> events = visible.items().stream()
                    .filter(e -> name == null || name.isEmpty() || e.name().equals(name))
                    .filter(this::meantForThisAgent).toList();
            long index = listIndex(events);
            long seen = request.read().index();
            boolean timedOut = tableIndex != 0 && result.index() == tableIndex || left.isZero();
            if (seen == 0 || seen != index || timedOut) {
                return CompletableFuture.completedFuture(ApiResponse.read(events.stream().map(EventJson::of)
                        .toList(), index).filteredByAcls(visible.dropped()));
            }
            return listAfter(request, result.index(), deadline);
        });
    }

    /** Consul's index of an event list: 1 when empty, else the two halves of its last event's ID XORed. */
    static long listIndex(List<Event> events) {
        if (events.isEmpty()) {
            return 1;
        }
        String hex = events.get(events.size() - 1).id().replace("-", "");
        return Long.parseUnsignedLong(hex.substring(0, 16), 16) ^ Long.parseUnsignedLong(hex.substring(16), 16);
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
