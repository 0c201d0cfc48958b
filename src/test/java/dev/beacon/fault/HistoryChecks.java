package dev.beacon.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What a recorded history must satisfy, per read mode. */
final class HistoryChecks {
    private static final LinearizabilityChecker CHECKER = new LinearizabilityChecker(50_000_000);

    private HistoryChecks() {
    }

    /**
     * Checks each register's writes, CASes and the reads of the given modes for linearizability (a register at a
     * time: linearizability is local); returns the verdicts by register.
     */
    static Map<String, LinearizabilityChecker.Result> linearizability(List<Op> history, Set<Op.ReadMode> modes) {
        Map<String, List<Op>> byKey = history.stream()
                .filter(op -> op.kind() != Op.Kind.READ || modes.contains(op.mode()))
                .collect(Collectors.groupingBy(Op::key, TreeMap::new, Collectors.toList()));
        Map<String, LinearizabilityChecker.Result> results = new TreeMap<>();
        byKey.forEach((key, ops) -> results.put(key, check(ops)));
        return results;
    }

    /**
     * Checks in up to three passes, cheapest first. Each write of unknown outcome left in can apply at any later
     * point, and a fault leaves dozens: the search grows with each.
     * <ol>
     * <li>Without the writes of unknown outcome whose value nobody saw: if the rest is linearizable, so is the whole
     * (those writes may never have applied).</li>
     * <li>If not, without failed CASes too. Removing an unseen write from an order that fits leaves an order that fits
     * except where a failed CAS saw that write's value, so if this pass finds no order, the whole has none.</li>
     * <li>Only if that fits is the whole history searched: an unseen write may be what made a CAS fail.</li>
     * </ol>
     */
    private static LinearizabilityChecker.Result check(List<Op> ops) {
        Set<String> seen = new HashSet<>();
        for (Op op : ops) {
            if (op.kind() == Op.Kind.READ) {
                seen.add(op.value());
            } else if (op.kind() == Op.Kind.CAS) {
                seen.add(op.expected());
            }
        }
        List<Op> withoutUnseen = ops.stream()
                .filter(op -> op.outcome() != Op.Outcome.UNKNOWN || seen.contains(op.value()))
                .toList();
        LinearizabilityChecker.Result quick = CHECKER.check(withoutUnseen);
        if (quick.verdict() == LinearizabilityChecker.Verdict.LINEARIZABLE || withoutUnseen.size() == ops.size()) {
            return quick;
        }
        List<Op> withoutFailedCas = withoutUnseen.stream()
                .filter(op -> op.kind() != Op.Kind.CAS || op.outcome() != Op.Outcome.FAILED)
                .toList();
        LinearizabilityChecker.Result relaxed = withoutFailedCas.size() == withoutUnseen.size()
                ? quick : CHECKER.check(withoutFailedCas);
        if (relaxed.verdict() == LinearizabilityChecker.Verdict.NOT_LINEARIZABLE) {
            return relaxed;
        }
        LinearizabilityChecker.Result whole = CHECKER.check(ops);
        if (whole.verdict() != LinearizabilityChecker.Verdict.GAVE_UP) {
            return whole;
        }
        return new LinearizabilityChecker.Result(whole.verdict(), whole.steps(), whole.detail()
                + "; without unseen writes of unknown outcome: " + quick.verdict() + " " + quick.detail()
                + "; without failed CASes too: " + relaxed.verdict() + " " + relaxed.detail(), whole.stuckAt());
    }

    /**
     * The operations on {@code op}'s register that were in flight within {@code nanos} of it (those of unknown
     * outcome: sent within), one per line in invocation order, times in milliseconds from {@code op}'s invocation:
     * what a failed check needs to be read.
     */
    static String around(List<Op> history, Op op, long nanos) {
        if (op == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        history.stream()
                .filter(o -> o.key().equals(op.key()) && o.invoked() <= op.completed() + nanos
                        && (o.outcome() == Op.Outcome.UNKNOWN ? o.invoked() : o.completed()) >= op.invoked() - nanos)
                .sorted(Comparator.comparingLong(Op::invoked))
                .forEach(o -> out.append(String.format("%n  %+9.1f %+9.1f ms  client %d %s %s %s -> %s %s",
                        (o.invoked() - op.invoked()) / 1e6,
                        o.outcome() == Op.Outcome.UNKNOWN ? Double.NaN : (o.completed() - op.invoked()) / 1e6,
                        o.client(), o.kind(), o.mode() == null ? "" : o.mode(), o.expected(), o.value(),
                        o.outcome())));
        return out.toString();
    }

    /** Verdicts, one per register, as one line. */
    static String summary(Map<String, LinearizabilityChecker.Result> results) {
        StringBuilder out = new StringBuilder();
        results.forEach((key, result) -> out.append(out.isEmpty() ? "" : "; ").append(key).append(' ')
                .append(result.verdict()).append(result.detail().isEmpty() ? "" : " (" + result.detail() + ")"));
        return out.toString();
    }

    /**
     * Pairs of lock holds by different clients that overlap, each as "earlier / later": both clients were sure they
     * held the lock at once. Holds of one client never overlap each other: it releases before it acquires again.
     */
    static List<String> overlappingHolds(List<LockClients.Hold> holds) {
        List<LockClients.Hold> byStart = holds.stream().sorted(Comparator.comparingLong(LockClients.Hold::acquired))
                .toList();
        List<String> overlaps = new ArrayList<>();
        LockClients.Hold longest = null;
        for (LockClients.Hold hold : byStart) {
            if (longest != null && hold.acquired() < longest.releasing() && hold.client() != longest.client()) {
                overlaps.add(longest + " / " + hold);
            }
            if (longest == null || hold.releasing() > longest.releasing()) {
                longest = hold;
            }
        }
        return overlaps;
    }

    /**
     * Stale reads may be old but never invented: each must see nothing or a value some write or CAS sent before
     * the read was answered. Returns the reads that break this.
     */
    static List<Op> phantomReads(List<Op> history, Op.ReadMode mode) {
        Map<String, Long> sentAt = new TreeMap<>();
        for (Op op : history) {
            if (op.kind() != Op.Kind.READ) {
                sentAt.merge(op.value(), op.invoked(), Math::min);
            }
        }
        List<Op> phantoms = new ArrayList<>();
        for (Op op : history) {
            if (op.kind() == Op.Kind.READ && op.mode() == mode && op.value() != null) {
                Long sent = sentAt.get(op.value());
                if (sent == null || sent > op.completed()) {
                    phantoms.add(op);
                }
            }
        }
        return phantoms;
    }
}
