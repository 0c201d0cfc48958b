package dev.beacon.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import dev.beacon.state.Command;
import dev.beacon.state.KvEntry;
import dev.beacon.state.KvEvent;
import dev.beacon.state.Store;
import org.junit.jupiter.api.Test;

/** Watches over a real store: answered from the history, parked until a matching write, refused once cleared. */
class EtcdWatchesTest {
    private static final long T0 = 1_700_000_000_000L;
    private final Store store = new Store();
    private final EtcdWatches watches = new EtcdWatches(store, Runnable::run, new EtcdStoreCounters(), () -> T0);
    private long index;

    private void set(String key, String value) {
        index++;
        store.apply(index, T0 + index, new Command.KvSet(key, value.getBytes(StandardCharsets.UTF_8), 0,
                Command.NO_CAS));
    }

    @Test
    void aWatchParksUntilAMatchingWriteAndIgnoresOthers() {
        set("a/x", "1");
        CompletableFuture<EtcdReply> watch = watches.watch("a", true, 0);
        assertThat(watch).isNotDone();
        set("b", "other");
        assertThat(watch).as("a write elsewhere").isNotDone();
        set("a/y", "2");
        EtcdReply reply = watch.join();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(((EtcdAnswer) reply.body()).node().key()).isEqualTo("/a/y");
        assertThat(((EtcdAnswer) reply.body()).node().modifiedIndex()).isEqualTo(3);
        assertThat(reply.etcdIndex()).as("X-Etcd-Index: the store's index when the watch started, as etcd's")
                .isEqualTo(1);
    }

    @Test
    void anIndexTheHistoryNoLongerKeepsIsEtcdsError401() {
        for (int i = 0; i < 1_001; i++) {
            set("k", Integer.toString(i));
        }
        EtcdReply cleared = watches.watch("k", false, 1).join();
        assertThat(cleared.status()).isEqualTo(400);
        EtcdFailure failure = (EtcdFailure) cleared.body();
        assertThat(failure.errorCode()).isEqualTo(401);
        assertThat(failure.message()).isEqualTo("The event in requested index is outdated and cleared");
        assertThat(failure.cause()).isEqualTo("the requested history has been cleared [2/1]");
        assertThat(watches.watch("k", false, 2).join().status()).as("the oldest kept").isEqualTo(200);
    }

    @Test
    void aWaitingWatchGetsItsEventAfterMoreWritesElsewhereThanTheHistoryKeeps() {
        set("watched", "0");
        CompletableFuture<EtcdReply> watch = watches.watch("watched", false, 0);
        for (int i = 0; i < 1_500; i++) {
            set("busy", Integer.toString(i));
        }
        assertThat(watch).isNotDone();
        set("watched", "1");

        EtcdReply reply = watch.join();
        assertThat(reply.status()).as("not outdated: it was waiting, as etcd's registered watcher").isEqualTo(200);
        assertThat(((EtcdAnswer) reply.body()).node().modifiedIndex()).isEqualTo(index);
        assertThat(reply.etcdIndex()).isEqualTo(1);
    }

    @Test
    void aDeletedDirectoryWakesAWatchOfAKeyInIt() {
        KvEvent removed = new KvEvent(KvEvent.DELETE, 5, new KvEntry("d/", null, 0, 1, 5, 0, null), null, 0, 0);
        assertThat(EtcdWatches.matches(removed, "d/sub/key", false)).isTrue();
        KvEvent made = new KvEvent(KvEvent.CREATE, 5, new KvEntry("d/", null, 0, 5, 5, 0, null), null, 0, 0);
        assertThat(EtcdWatches.matches(made, "d/sub/key", false)).isFalse();
        KvEvent hidden = new KvEvent(KvEvent.SET, 6, new KvEntry("d/_h", new byte[0], 0, 6, 6, 0, null), null, 0, 0);
        assertThat(EtcdWatches.matches(hidden, "d", true)).isFalse();
        assertThat(EtcdWatches.matches(hidden, "d/_h", false)).isTrue();
    }
}
