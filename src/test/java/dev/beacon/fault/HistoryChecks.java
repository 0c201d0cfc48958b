package dev.beacon.fault;

import java.util.ArrayList;
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
     * Checks first without the writes of unknown outcome whose value nobody saw: if the rest is linearizable, so is
     * the whole (those writes may never have applied). Each one left in doubles what the search may try, and a
     * fault leaves dozens. Only if that fails is the whole history searched.
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
        return CHECKER.check(ops);
    }

    /** Verdicts, one per register, as one line. */
    static String summary(Map<String, LinearizabilityChecker.Result> results) {
        StringBuilder out = new StringBuilder();
        results.forEach((key, result) -> out.append(out.isEmpty() ? "" : "; ").append(key).append(' ')
                .append(result.verdict()).append(result.detail().isEmpty() ? "" : " (" + result.detail() + ")"));
        return out.toString();
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
