package dev.beacon.state;

/** One operation of a {@code /v1/txn} transaction: on a key ({@link TxnOp}) or on the catalog. */
public sealed interface TxnOperation permits TxnOp, CatalogTxnOp {
}
