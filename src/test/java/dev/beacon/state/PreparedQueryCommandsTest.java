package dev.beacon.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

class PreparedQueryCommandsTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    private List<PreparedQuery> queries() {
        return h.store.query(new Query.PreparedQueries()).value();
    }

    private static PreparedQuery named(String id, String name) {
        return Fixtures.preparedQuery(id, name, "db");
    }

    private static PreparedQuery template(String id, String name) {
        PreparedQuery q = Fixtures.preparedQuery(id, name, "${name.suffix}");
        return new PreparedQuery(q.id(), q.name(), q.session(), q.token(), q.service(), q.dnsTtl(),
                new PreparedQuery.Template(PreparedQuery.Template.NAME_PREFIX_MATCH, "", false), 0, 0);
    }

    private static PreparedQuery boundTo(String id, String session) {
        PreparedQuery q = Fixtures.preparedQuery(id, "", "db");
        return new PreparedQuery(q.id(), q.name(), session, q.token(), q.service(), q.dnsTtl(), null, 0, 0);
    }

    @Test
    void aCreatedQueryIsStoredWithItsIndexesAndMovesOnlyItsTable() {
        h.apply(Fixtures.set("k", "v"));
        Outcome created = h.apply(new Command.PreparedQuerySet(named("q1", "db-query"), true));

        assertThat(created.success()).isTrue();
        assertThat(queries()).singleElement().satisfies(q -> {
            assertThat(q.name()).isEqualTo("db-query");
            assertThat(q.createIndex()).isEqualTo(2);
            assertThat(q.modifyIndex()).isEqualTo(2);
            assertThat(q.service().datacenters()).containsExactly("dc3");
        });
        assertThat(h.store.query(new Query.PreparedQueries()).index()).isEqualTo(2);
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(1);
    }

    @Test
    void anUpdateKeepsTheCreateIndexAndAnUpdateOfAnUnknownQueryIsRefusedAsConsulDoes() {
        h.apply(new Command.PreparedQuerySet(named("q1", "a"), true));
        h.apply(new Command.PreparedQuerySet(named("q1", "b"), false));

        assertThat(queries()).singleElement().satisfies(q -> {
            assertThat(q.name()).isEqualTo("b");
            assertThat(q.createIndex()).isEqualTo(1);
            assertThat(q.modifyIndex()).isEqualTo(2);
        });
        Outcome unknown = h.apply(new Command.PreparedQuerySet(named("q9", "c"), false));
        assertThat(unknown.error()).isEqualTo("Cannot modify non-existent prepared query: 'q9'");
        assertThat(h.apply(new Command.PreparedQuerySet(named("q1", "c"), true)).success()).as("id taken")
                .isFalse();
        assertThat(h.store.query(new Query.PreparedQueries()).index()).as("refusals move nothing").isEqualTo(2);
    }

    @Test
    void namesAreUniqueAndMayNotBeAnotherQuerysId() {
        h.apply(new Command.PreparedQuerySet(named("q1", "db"), true));

        assertThat(h.apply(new Command.PreparedQuerySet(named("q2", "db"), true)).error())
                .isEqualTo("name \"db\" aliases an existing query name");
        assertThat(h.apply(new Command.PreparedQuerySet(named("q2", "q1"), true)).error())
                .isEqualTo("name \"q1\" aliases an existing query ID");
        assertThat(h.apply(new Command.PreparedQuerySet(named("q2", ""), true)).success()).isTrue();
        assertThat(h.apply(new Command.PreparedQuerySet(named("q3", ""), true)).success())
                .as("nameless queries are run by id, any number of them").isTrue();
        assertThat(queries()).extracting(PreparedQuery::id).containsExactly("q1", "q2", "q3");
    }

    @Test
    void onlyOneTemplateMayHaveNoName() {
        assertThat(h.apply(new Command.PreparedQuerySet(template("t1", ""), true)).success()).isTrue();
        assertThat(h.apply(new Command.PreparedQuerySet(template("t2", ""), true)).error())
                .isEqualTo("a query template with an empty name already exists");
        assertThat(h.apply(new Command.PreparedQuerySet(template("t1", ""), false)).success()).as("itself")
                .isTrue();
    }

    @Test
    void aQueryBoundToASessionNeedsItAndGoesWithIt() {
        assertThat(h.apply(new Command.PreparedQuerySet(boundTo("q1", "s1"), true)).error())
                .isEqualTo("invalid session \"s1\"");
        h.apply(new Command.RegisterNode(Fixtures.node("n1")));
        h.apply(new Command.CreateSession(Fixtures.session("s1", "n1", SessionBehavior.RELEASE)));
        h.apply(new Command.PreparedQuerySet(boundTo("q1", "s1"), true));
        h.apply(new Command.PreparedQuerySet(named("q2", "kept"), true));

        h.apply(new Command.DestroySession("s1"));

        assertThat(queries()).extracting(PreparedQuery::id).containsExactly("q2");
        assertThat(h.store.query(new Query.PreparedQueries()).index()).isEqualTo(h.index());
    }

    @Test
    void deletingRemovesTheQueryAndAnUnknownIdChangesNothing() {
        h.apply(new Command.PreparedQuerySet(named("q1", "db"), true));

        assertThat(h.apply(new Command.PreparedQueryDelete("q9")).success()).isTrue();
        assertThat(h.store.query(new Query.PreparedQueries()).index()).isEqualTo(1);
        h.apply(new Command.PreparedQueryDelete("q1"));
        assertThat(queries()).isEmpty();
        assertThat(h.store.query(new Query.PreparedQueries()).index()).isEqualTo(3);
    }

    @Test
    void queriesSurviveASnapshotAndAForwardedRead() throws IOException {
        h.apply(new Command.PreparedQuerySet(named("q1", "db"), true));
        h.apply(new Command.PreparedQuerySet(template("t1", "geo-"), true));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        h.store.writeSnapshot(out);

        Store restored = new Store();
        restored.restoreSnapshot(new ByteArrayInputStream(out.toByteArray()));

        Indexed<List<PreparedQuery>> read = restored.query(new Query.PreparedQueries());
        assertThat(read.value()).isEqualTo(queries());
        assertThat(read.index()).isEqualTo(2);
        Query<List<PreparedQuery>> query = new Query.PreparedQueries();
        assertThat(QueryCodec.decodeResult(query, QueryCodec.encodeResult(query, read))).isEqualTo(read);
        assertThat(QueryCodec.decode(QueryCodec.encode(query))).isEqualTo(query);
    }

    @Test
    void aWatchOnTheQueriesWakesOnAQueryChangeOnly() {
        h.apply(new Command.PreparedQuerySet(named("q1", "db"), true));
        boolean[] woken = {false};
        h.store.watch(new Query.PreparedQueries(), 1, () -> woken[0] = true);

        h.apply(Fixtures.set("k", "v"));
        assertThat(woken[0]).isFalse();
        h.apply(new Command.PreparedQueryDelete("q1"));
        assertThat(woken[0]).isTrue();
    }
}
