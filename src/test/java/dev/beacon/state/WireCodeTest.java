package dev.beacon.state;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stored code of every enum constant written to the log, a snapshot or a forwarded query. Old logs hold these
 * numbers: if this table has to change for an existing constant, the format has changed.
 */
class WireCodeTest {
    private static final Map<Enum<?>, Integer> PINNED = new LinkedHashMap<>();

    static {
        pin(CheckStatus.PASSING, 0, CheckStatus.WARNING, 1, CheckStatus.CRITICAL, 2);
        pin(SessionBehavior.RELEASE, 0, SessionBehavior.DELETE, 1);
        pin(Alarm.NOSPACE, 1);
        pin(Table.NODES, 0, Table.SERVICES, 1, Table.CHECKS, 2, Table.KV, 3, Table.SESSIONS, 4, Table.EVENTS, 5,
                Table.ACL_TOKENS, 6, Table.ACL_POLICIES, 7, Table.ACL_ROLES, 8,
                Table.PREPARED_QUERIES, 9);
        pin(TxnOp.Verb.SET, 0, TxnOp.Verb.CAS, 1, TxnOp.Verb.LOCK, 2, TxnOp.Verb.UNLOCK, 3, TxnOp.Verb.GET, 4,
                TxnOp.Verb.GET_TREE, 5, TxnOp.Verb.CHECK_INDEX, 6, TxnOp.Verb.CHECK_SESSION, 7,
                TxnOp.Verb.CHECK_NOT_EXISTS, 8, TxnOp.Verb.DELETE, 9, TxnOp.Verb.DELETE_TREE, 10,
                TxnOp.Verb.DELETE_CAS, 11, TxnOp.Verb.GET_OR_EMPTY, 12);
        pin(CatalogTxnOp.Verb.SET, 0, CatalogTxnOp.Verb.CAS, 1, CatalogTxnOp.Verb.GET, 2, CatalogTxnOp.Verb.DELETE, 3,
                CatalogTxnOp.Verb.DELETE_CAS, 4);
    }

    private static final List<Class<? extends WireCode>> CODED = List.of(CheckStatus.class, SessionBehavior.class,
            Alarm.class, Table.class, TxnOp.Verb.class, CatalogTxnOp.Verb.class);

    private static void pin(Object... constantsAndCodes) {
        for (int i = 0; i < constantsAndCodes.length; i += 2) {
            PINNED.put((Enum<?>) constantsAndCodes[i], (Integer) constantsAndCodes[i + 1]);
        }
    }

    @Test
    void everyConstantHasItsPinnedCode() {
        for (Class<? extends WireCode> type : CODED) {
            for (WireCode constant : type.getEnumConstants()) {
                assertThat(PINNED).as("%s.%s has no pinned code: add it here", type.getSimpleName(), constant)
                        .containsKey((Enum<?>) constant);
                assertThat(constant.code()).as("code of %s.%s", type.getSimpleName(), constant)
                        .isEqualTo(PINNED.get((Enum<?>) constant));
            }
        }
        assertThat(PINNED.keySet()).allMatch(c -> CODED.contains(c.getDeclaringClass()));
    }

    @Test
    void codesAreUniqueWithinATypeAndFitTheirByte() {
        for (Class<? extends WireCode> type : CODED) {
            List<Integer> codes = Arrays.stream(type.getEnumConstants()).map(WireCode::code).toList();
            assertThat(codes).as(type.getSimpleName()).doesNotHaveDuplicates().allMatch(c -> c >= 0 && c < 256);
        }
        assertThat(Arrays.stream(TxnOp.Verb.values()).map(TxnOp.Verb::code))
                .as("KV verbs stay below the catalog operation markers").allMatch(c -> c < 0x80);
        assertThat(Arrays.stream(Table.values()).map(Table::code).sorted().toList())
                .as("snapshots write table indexes in code order, so codes are dense")
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void everyCodeDecodesToItsConstant() throws IOException {
        for (Map.Entry<Enum<?>, Integer> pinned : PINNED.entrySet()) {
            assertThat(decode(pinned.getKey().getDeclaringClass(), pinned.getValue())).isSameAs(pinned.getKey());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object decode(Class type, int code) throws IOException {
        return WireCode.decode(type, code);
    }

    @Test
    void anUnknownCodeIsAnErrorNamingTheType() {
        assertThatThrownBy(() -> WireCode.decode(CheckStatus.class, 3))
                .isInstanceOf(IOException.class).hasMessage("unknown CheckStatus code 3");
        assertThatThrownBy(() -> WireCode.decode(TxnOp.Verb.class, 0x7f))
                .isInstanceOf(IOException.class).hasMessage("unknown TxnOp.Verb code 127");
        assertThatThrownBy(() -> WireCode.decode(Alarm.class, 0))
                .isInstanceOf(IOException.class).hasMessage("unknown Alarm code 0");
    }

    @Test
    void anUnknownTxnVerbInTheLogIsCorrupt() {
        byte[] bytes = CommandCodec.encode(new Command.Txn(List.of(new TxnOp(TxnOp.Verb.GET, "k", null, 0, 0, null))));
        bytes[5] = 0x7f; // tag, op count (4 bytes), then the verb's code

        assertThatThrownBy(() -> CommandCodec.decode(bytes))
                .hasRootCauseMessage("unknown TxnOp.Verb code 127");
    }
}
