package dev.beacon.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Transaction verbs are read and written under Consul's dashed lower-case names. */
class WireNamesTest {

    @Test
    void verbsAreNamedAsConsulNamesThem() {
        assertThat(TxnOp.Verb.DELETE_CAS.wireName()).isEqualTo("delete-cas");
        assertThat(TxnOp.Verb.CHECK_NOT_EXISTS.wireName()).isEqualTo("check-not-exists");
        assertThat(CatalogTxnOp.Verb.GET.wireName()).isEqualTo("get");
    }

    @Test
    void namesAreFoundInAnyCaseAndUnknownOnesAreNull() {
        assertThat(TxnOp.Verb.fromWire("Get-Tree")).isEqualTo(TxnOp.Verb.GET_TREE);
        assertThat(CatalogTxnOp.Verb.fromWire("DELETE-CAS")).isEqualTo(CatalogTxnOp.Verb.DELETE_CAS);
        assertThat(CatalogTxnOp.Verb.fromWire("lock")).isNull();
        assertThat(TxnOp.Verb.fromWire("get_tree")).isNull();
        assertThat(TxnOp.Verb.fromWire("")).isNull();
    }
}
