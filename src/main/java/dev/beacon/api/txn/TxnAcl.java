package dev.beacon.api.txn;

import java.util.ArrayList;
import java.util.List;

import dev.beacon.acl.Permissions;
import dev.beacon.api.ApiException;
import dev.beacon.api.Caller;
import dev.beacon.api.catalog.CatalogWriteAcl;
import dev.beacon.state.CatalogTxnOp;
import dev.beacon.state.Command;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.KvEntry;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;
import dev.beacon.state.TxnOp;
import dev.beacon.state.TxnOperation;
import dev.beacon.state.TxnResult;

/**
 * Every operation of a transaction checked against the caller's token before anything is submitted, as Consul
 * checks them: reading verbs need read, writing verbs write, a tree delete write on everything under its prefix.
 * The operations refused are answered as Consul answers them, in the transaction's errors; what a successful
 * transaction returns is filtered as a read would be.
 */
final class TxnAcl {
    private final CatalogWriteAcl catalogWrites;

    TxnAcl(CatalogWriteAcl catalogWrites) {
        this.catalogWrites = catalogWrites;
    }

    /** The index and message of every operation the caller may not do; empty when all may be done. */
    List<TxnRoutes.TxnErrorJson> refused(List<TxnOperation> ops, Caller caller) {
        List<TxnRoutes.TxnErrorJson> refused = new ArrayList<>();
        if (caller.permissions().isManagement()) {
            return refused;
        }
        for (int i = 0; i < ops.size(); i++) {
            try {
                check(ops.get(i), caller);
            } catch (ApiException denied) {
                refused.add(new TxnRoutes.TxnErrorJson(i, denied.getMessage()));
            }
        }
        return refused;
    }

    private void check(TxnOperation op, Caller caller) {
        Permissions may = caller.permissions();
        if (op instanceof TxnOp kv) {
            checkKv(kv, caller, may);
        } else if (op instanceof CatalogTxnOp.OnNode n) {
            if (n.verb() == CatalogTxnOp.Verb.GET) {
                caller.require(may.nodeRead(n.node().name()), "node:read", n.node().name());
            } else if (n.verb() == CatalogTxnOp.Verb.DELETE || n.verb() == CatalogTxnOp.Verb.DELETE_CAS) {
                catalogWrites.check(new Command.DeregisterNode(n.node().name()), caller);
            } else {
                catalogWrites.check(new Command.RegisterNode(n.node()), caller);
            }
        } else if (op instanceof CatalogTxnOp.OnService s) {
            ServiceInstance service = s.service();
            if (s.verb() == CatalogTxnOp.Verb.GET) {
                caller.require(may.nodeRead(service.node()), "node:read", service.node());
            } else if (s.verb() == CatalogTxnOp.Verb.DELETE || s.verb() == CatalogTxnOp.Verb.DELETE_CAS) {
                catalogWrites.check(new Command.DeregisterService(service.node(), service.id()), caller);
            } else {
                catalogWrites.check(new Command.RegisterService(service), caller);
            }
        } else if (op instanceof CatalogTxnOp.OnCheck c) {
            HealthCheck check = c.check();
            if (c.verb() == CatalogTxnOp.Verb.GET) {
                caller.require(may.nodeRead(check.node()), "node:read", check.node());
            } else if (c.verb() == CatalogTxnOp.Verb.DELETE || c.verb() == CatalogTxnOp.Verb.DELETE_CAS) {
                catalogWrites.check(new Command.DeregisterCheck(check.node(), check.checkId()), caller);
            } else {
                catalogWrites.check(new Command.RegisterCheck(check), caller);
            }
        }
    }

    private static void checkKv(TxnOp op, Caller caller, Permissions may) {
        String key = op.key();
        switch (op.verb()) {
            case GET, GET_OR_EMPTY, CHECK_INDEX, CHECK_SESSION, CHECK_NOT_EXISTS ->
                    caller.require(may.keyRead(key), "key:read", key);
            case GET_TREE -> caller.require(may.keyList(key) || may.keyRead(key), "key:list", key);
            case DELETE_TREE -> caller.require(may.keyWritePrefix(key), "key:write", key);
            default -> caller.require(may.keyWrite(key), "key:write", key);
        }
    }

    /** What the caller may read of a successful transaction's results. */
    static List<TxnResult> visible(List<TxnResult> results, Caller caller) {
        Permissions may = caller.permissions();
        return caller.filter(results, r -> {
            if (r instanceof KvEntry e) {
                return may.keyRead(e.key());
            }
            if (r instanceof Node n) {
                return may.nodeRead(n.name());
            }
            if (r instanceof ServiceInstance s) {
                return may.nodeRead(s.node()) && may.serviceRead(s.service());
            }
            HealthCheck c = (HealthCheck) r;
            return may.nodeRead(c.node()) && (c.serviceName().isEmpty() || may.serviceRead(c.serviceName()));
        }).items();
    }
}
