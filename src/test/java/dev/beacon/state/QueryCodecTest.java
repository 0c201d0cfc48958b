package dev.beacon.state;

import static dev.beacon.state.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Reads answered by the leader travel as bytes; what arrives must equal what the leader's store read. */
class QueryCodecTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    private <R> Indexed<R> viaBytes(Query<R> query) {
        Query<?> decoded = QueryCodec.decode(QueryCodec.encode(query));
        assertThat(decoded).isEqualTo(query);
        byte[] result = QueryCodec.encodeResult(decoded, h.store.query(decoded));
        return QueryCodec.decodeResult(query, result);
    }

    @Test
    void aKeyAndItsIndexArriveIntact() {
        h.applyAt(4, new Command.KvSet("日本/k,v", new byte[] {0, 1, -1}, -1L, Command.NO_CAS));

        Indexed<KvEntry> read = viaBytes(new Query.KvGet("日本/k,v"));

        assertThat(read.index()).isEqualTo(4);
        assertThat(read.value()).usingRecursiveComparison().isEqualTo(h.store.kvGet("日本/k,v").value());
    }

    @Test
    void anEtcdSubtreeArrivesWithItsFileItsKeysAndTheirTimesToLive() {
        h.applyAt(2, set("f", "file"));
        h.applyAt(3, new Command.KvPut("d/x", new byte[] {7}, false, 5_000, false, null, null, 0, false));
        h.applyAt(4, set("d/y/z", "2"));

        Indexed<KvSubtree> read = viaBytes(new Query.KvSubtree("d"));

        assertThat(read.index()).isEqualTo(4);
        assertThat(read.value()).usingRecursiveComparison().isEqualTo(h.store.query(new Query.KvSubtree("d")).value());
        assertThat(read.value().expiry("d/x")).isEqualTo(Fixtures.Harness.timeOf(3) + 5_000);
        assertThat(viaBytes(new Query.KvSubtree("none")).value().self()).isNull();
        assertThat(viaBytes(new Query.KvSubtree("f/below")).value().absence())
                .isEqualTo(new KvSubtree.Absence("f", true));
        assertThat(viaBytes(new Query.KvSubtree("d/nothing/here")).value().absence())
                .isEqualTo(new KvSubtree.Absence("d/nothing", false));
        assertThat(viaBytes(new Query.KvSubtree("f")).value().self().key()).isEqualTo("f");
    }

    @Test
    void aMissingKeyArrivesAsNullWithTheTableIndex() {
        h.applyAt(7, set("other", "v"));

        Indexed<KvEntry> read = viaBytes(new Query.KvGet("missing"));

        assertThat(read.value()).isNull();
        assertThat(read.index()).isEqualTo(7);
    }

    @Test
    void aPrefixListArrivesInOrderWithItsIndex() {
        h.applyAt(2, set("p/b", "2"));
        h.applyAt(3, set("p/a", "1"));
        h.applyAt(5, set("q", "3"));

        Indexed<List<KvEntry>> read = viaBytes(new Query.KvList("p/"));

        assertThat(read.value()).extracting(KvEntry::key).containsExactly("p/a", "p/b");
        assertThat(read.index()).isEqualTo(3);
        assertThat(viaBytes(new Query.KvList("none/")).value()).isEmpty();
    }

    @Test
    void aKeyListArrivesInOrderWithThePrefixIndexAndNoValues() {
        h.applyAt(2, set("p/b", "2"));
        h.applyAt(3, set("p/a", "1"));
        h.applyAt(5, set("q", "3"));

        Indexed<List<String>> read = viaBytes(new Query.KvKeys("p/"));

        assertThat(read.value()).containsExactly("p/a", "p/b");
        assertThat(read.index()).isEqualTo(3);
        assertThat(viaBytes(new Query.KvKeys("none/")).value()).isEmpty();
    }

    @Test
    void aCatalogSliceArrivesWithItsNodesServicesChecksAndIndex() {
        h.applyAt(3, new Command.CatalogRegister(Fixtures.node("n1"),
                new ServiceInstance("n1", "web-1", "web", List.of("a"), "10.0.0.1", 80, java.util.Map.of("k", "v"),
                        true, 0, 0),
                List.of(new HealthCheck("n1", "c1", "c1", CheckStatus.WARNING, "n", "o", "web-1", "", "http", 0, 0))));
        Query.CatalogSlice query = new Query.CatalogSlice(null, "web",
                java.util.EnumSet.of(Table.SERVICES, Table.CHECKS));

        Indexed<CatalogView> read = viaBytes(query);

        assertThat(read.index()).isEqualTo(3);
        assertThat(read.value()).usingRecursiveComparison().isEqualTo(h.store.query(query).value());
        assertThat(read.value().checks()).extracting(HealthCheck::serviceName).containsExactly("web");
    }

    @Test
    void corruptBytesFailAsUncheckedIOException() {
        byte[] query = QueryCodec.encode(new Query.KvGet("k"));
        assertThatThrownBy(() -> QueryCodec.decode(new byte[] {99})).isInstanceOf(UncheckedIOException.class);
        for (int len = 0; len < query.length; len++) {
            byte[] cut = Arrays.copyOf(query, len);
            assertThatThrownBy(() -> QueryCodec.decode(cut)).isInstanceOf(UncheckedIOException.class);
        }
        byte[] result = QueryCodec.encodeResult(new Query.KvList(""), new Indexed<>(List.of(), 1));
        byte[] longer = Arrays.copyOf(result, result.length + 1);
        assertThatThrownBy(() -> QueryCodec.decodeResult(new Query.KvList(""), longer))
                .isInstanceOf(UncheckedIOException.class);
    }
}
