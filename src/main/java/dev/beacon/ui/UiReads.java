package dev.beacon.ui;

import java.time.Duration;

import dev.beacon.api.BlockingQueries;
import dev.beacon.api.Caller;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.catalog.CatalogAcl;
import dev.beacon.cluster.ClusterUnavailableException;
import dev.beacon.cluster.Datacenters;
import dev.beacon.cluster.RemoteReads;
import dev.beacon.state.CatalogView;
import dev.beacon.state.Indexed;
import dev.beacon.state.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The UI's reads: this server's replica, stale allowed (as Consul's UI and DNS read by default), or for a catalog
 * page of another datacenter, one of its servers' replica. A page's live refresh passes the index it shows; the
 * read then parks without a thread until the data moves past it or the wait ends, exactly like a blocking query on
 * the {@code /v1} API.
 */
@Component
class UiReads {
    /** How long a live page's request stays parked when nothing changes (Consul's default wait). */
    static final Duration WAIT = Duration.ofMinutes(5);

    private final BlockingQueries queries;
    private final RemoteReads remote;
    private final Datacenters datacenters;

    UiReads(BlockingQueries queries, RemoteReads remote, Datacenters datacenters) {
        this.queries = queries;
        this.remote = remote;
        this.datacenters = datacenters;
    }

    /**
     * A catalog slice of datacenter {@code dc} (blank: this one) as the caller may see it ({@link CatalogAcl});
     * another datacenter's is filtered by this server's rules for the caller.
     */
    Mono<Indexed<CatalogView>> catalog(Query.CatalogSlice query, long seenIndex, Caller caller, String dc) {
        return read(query, seenIndex, dc)
                .map(r -> new Indexed<>(CatalogAcl.filter(r.value(), caller).view(), r.index()));
    }

    /** A read of datacenter {@code dc}'s data: this replica's when {@link #remote} says it is not another one. */
    <T> Mono<Indexed<T>> read(Query<T> query, long seenIndex, String dc) {
        return read(query, seenIndex, dc, false);
    }

    /**
     * As {@link #read(Query, long, String)}; {@code afterWrite}: the page follows a write made in that datacenter,
     * so another datacenter's answer comes from its leader's data, which has the write. (This datacenter's replica
     * has it already: {@link KvWrites} waits for that.)
     */
    <T> Mono<Indexed<T>> read(Query<T> query, long seenIndex, String dc, boolean afterWrite) {
        String other = remote(dc);
        if (other == null) {
            return read(query, seenIndex);
        }
        if (seenIndex < 0) {
            throw new UiBadRequest("index must not be negative");
        }
        return EventLoopHop.onEventLoop(remote.read(other, query, seenIndex, WAIT, afterWrite))
                .onErrorMap(ClusterUnavailableException.class,
                        e -> new UiUnavailable("No server of datacenter \u201c" + other + "\u201d can be reached"));
    }

    /** {@code dc} when it names another datacenter than this server's; null for this one (or none named). */
    String remote(String dc) {
        return dc == null || dc.isBlank() || dc.equals(datacenters.local()) ? null : dc;
    }

    <T> Mono<Indexed<T>> read(Query<T> query, long seenIndex) {
        return read(query, seenIndex, WAIT);
    }

    <T> Mono<Indexed<T>> read(Query<T> query, long seenIndex, Duration wait) {
        if (seenIndex < 0) {
            throw new UiBadRequest("index must not be negative");
        }
        return EventLoopHop.onEventLoop(
                queries.read(new ReadOptions(ReadOptions.Consistency.STALE, seenIndex, wait), query));
    }
}
