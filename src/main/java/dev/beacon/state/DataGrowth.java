package dev.beacon.state;

/**
 * Which writes add data, and so are refused while a {@link Alarm#NOSPACE} alarm is raised (etcd refuses puts,
 * and allows deletes, in the same state). Deletes, releases, session renewals and destruction, tombstone reaping
 * and updates of catalog entries that already exist (a check changing status) keep working, so that a full
 * server can still be emptied and its health still reported.
 */
final class DataGrowth {
    private DataGrowth() {
    }

    static boolean adds(Command command, Catalog catalog) {
        if (command instanceof Command.KvSet || command instanceof Command.KvLock
                || command instanceof Command.CreateSession || command instanceof Command.FireEvent) {
            return true;
        } else if (command instanceof Command.RegisterNode c) {
            return catalog.node(c.node().name()) == null;
        } else if (command instanceof Command.RegisterService c) {
            return addsService(c.service(), catalog);
        } else if (command instanceof Command.RegisterCheck c) {
            return addsCheck(c.check(), catalog);
        } else if (command instanceof Command.CatalogRegister c) {
            return catalog.node(c.node().name()) == null
                    || (c.service() != null && addsService(c.service(), catalog))
                    || c.checks().stream().anyMatch(check -> addsCheck(check, catalog));
        } else if (command instanceof Command.Txn c) {
            return c.ops().stream().anyMatch(DataGrowth::addsInTxn);
        }
        return false;
    }

    /** A transaction is refused whole if any operation could add data: its effect is not known in advance. */
    private static boolean addsInTxn(TxnOperation operation) {
        if (operation instanceof TxnOp op) {
            return op.verb() == TxnOp.Verb.SET || op.verb() == TxnOp.Verb.CAS || op.verb() == TxnOp.Verb.LOCK;
        }
        CatalogTxnOp op = (CatalogTxnOp) operation;
        return op.verb() == CatalogTxnOp.Verb.SET || op.verb() == CatalogTxnOp.Verb.CAS;
    }

    private static boolean addsService(ServiceInstance service, Catalog catalog) {
        return catalog.service(service.node(), service.id()) == null;
    }

    private static boolean addsCheck(HealthCheck check, Catalog catalog) {
        return catalog.check(check.node(), check.checkId()) == null;
    }
}
