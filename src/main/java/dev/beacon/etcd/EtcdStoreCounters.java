package dev.beacon.etcd;

import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The operation counters etcd's /v2/stats/store shows, counted by the keys API on this server (etcd counts per
 * server too: they are not replicated, and restart at 0). LongAdder because every request bumps one and reads
 * are rare. Which operation counts where, as in etcd's v2 store: GET of a key -> gets; PUT without conditions ->
 * sets; PUT with prevExist=false or POST (in-order key) -> create; PUT with prevExist=true -> update; PUT with
 * prevValue/prevIndex -> compareAndSwap; DELETE without conditions -> delete; DELETE with prevValue/prevIndex ->
 * compareAndDelete. {@code watchers} is a gauge: the watches waiting now. The keys removed because their TTL ran
 * out ({@code expireCount}) are counted by the store as it applies their expiry.
 */
public final class EtcdStoreCounters {
    private final LongAdder getsSuccess = new LongAdder();
    private final LongAdder getsFail = new LongAdder();
    private final LongAdder setsSuccess = new LongAdder();
    private final LongAdder setsFail = new LongAdder();
    private final LongAdder deleteSuccess = new LongAdder();
    private final LongAdder deleteFail = new LongAdder();
    private final LongAdder updateSuccess = new LongAdder();
    private final LongAdder updateFail = new LongAdder();
    private final LongAdder createSuccess = new LongAdder();
    private final LongAdder createFail = new LongAdder();
    private final LongAdder compareAndSwapSuccess = new LongAdder();
    private final LongAdder compareAndSwapFail = new LongAdder();
    private final LongAdder compareAndDeleteSuccess = new LongAdder();
    private final LongAdder compareAndDeleteFail = new LongAdder();
    private final LongAdder watchers = new LongAdder();
    private final LongAdder watchRequests = new LongAdder();

    public void get(boolean succeeded) {
        (succeeded ? getsSuccess : getsFail).increment();
    }

    public void set(boolean succeeded) {
        (succeeded ? setsSuccess : setsFail).increment();
    }

    public void delete(boolean succeeded) {
        (succeeded ? deleteSuccess : deleteFail).increment();
    }

    public void update(boolean succeeded) {
        (succeeded ? updateSuccess : updateFail).increment();
    }

    public void create(boolean succeeded) {
        (succeeded ? createSuccess : createFail).increment();
    }

    public void compareAndSwap(boolean succeeded) {
        (succeeded ? compareAndSwapSuccess : compareAndSwapFail).increment();
    }

    public void compareAndDelete(boolean succeeded) {
        (succeeded ? compareAndDeleteSuccess : compareAndDeleteFail).increment();
    }

    /** A client asked to watch (a streamed watch once, however many events it is sent). */
    public void watchRequested() {
        watchRequests.increment();
    }

    /** The watch requests since this server started: etcd's {@code etcd_debugging_store_watch_requests_total}. */
    public long watchRequests() {
        return watchRequests.sum();
    }

    /** A watch started waiting; pair with {@link #watcherDone()} however the watch ends. */
    public void watcherAdded() {
        watchers.increment();
    }

    public void watcherDone() {
        watchers.decrement();
    }

    /** The watches waiting now. */
    public long watchers() {
        return Math.max(0, watchers.sum());
    }

    /**
     * The counters now, as /v2/stats/store renders them, with the store's count of expired keys. Not atomic across
     * fields, as etcd's is not either.
     */
    public StoreStats snapshot(long expireCount) {
        return new StoreStats(getsSuccess.sum(), getsFail.sum(), setsSuccess.sum(), setsFail.sum(),
                deleteSuccess.sum(), deleteFail.sum(), updateSuccess.sum(), updateFail.sum(), createSuccess.sum(),
                createFail.sum(), compareAndSwapSuccess.sum(), compareAndSwapFail.sum(), compareAndDeleteSuccess.sum(),
                compareAndDeleteFail.sum(), expireCount, watchers());
    }

    /** The body of /v2/stats/store, fields in etcd's order. */
    @JsonPropertyOrder({"getsSuccess", "getsFail", "setsSuccess", "setsFail", "deleteSuccess", "deleteFail",
            "updateSuccess", "updateFail", "createSuccess", "createFail", "compareAndSwapSuccess",
            "compareAndSwapFail", "compareAndDeleteSuccess", "compareAndDeleteFail", "expireCount", "watchers"})
    public record StoreStats(@JsonProperty("getsSuccess") long getsSuccess, @JsonProperty("getsFail") long getsFail,
                             @JsonProperty("setsSuccess") long setsSuccess, @JsonProperty("setsFail") long setsFail,
                             @JsonProperty("deleteSuccess") long deleteSuccess,
                             @JsonProperty("deleteFail") long deleteFail,
                             @JsonProperty("updateSuccess") long updateSuccess,
                             @JsonProperty("updateFail") long updateFail,
                             @JsonProperty("createSuccess") long createSuccess,
                             @JsonProperty("createFail") long createFail,
                             @JsonProperty("compareAndSwapSuccess") long compareAndSwapSuccess,
                             @JsonProperty("compareAndSwapFail") long compareAndSwapFail,
                             @JsonProperty("compareAndDeleteSuccess") long compareAndDeleteSuccess,
                             @JsonProperty("compareAndDeleteFail") long compareAndDeleteFail,
                             @JsonProperty("expireCount") long expireCount,
                             @JsonProperty("watchers") long watchers) {
    }
}
