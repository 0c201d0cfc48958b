package dev.beacon.fault;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a history of one register's operations is linearizable: whether some order of them, each placed
 * between its invocation and its answer, is a legal sequence of reads, writes and CASes of one register.
 * <p>
 * The search is Wing and Gong's, with Lowe's memo of (operations placed, register value) already explored: take
 * the earliest unplaced operation whose invocation comes before the first answer still pending, place it if the
 * register allows, and backtrack when an answer comes before its operation could be placed. A write or CAS whose
 * outcome the client never learnt ({@link Op.Outcome#UNKNOWN}) has no answer: it may be placed at any point after
 * its invocation, or never (it was lost). A failed CAS is an observation too: the register did not hold the
 * expected value at that point. Operations that certainly did not apply are left out. Each value must be written
 * at most once (the workload's are unique), which lets a write of unknown outcome that somebody read be pinned.
 */
public final class LinearizabilityChecker {

    /**
     * What the search found; {@code steps} is how many placements it tried; {@code stuckAt}, unless the history is
     * linearizable, the operation the furthest order could not fit (null if none).
     */
    public record Result(Verdict verdict, long steps, String detail, Op stuckAt) {
    }

    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, GAVE_UP }

    /** The value given to every unseen write of unknown outcome; the workload's values never take this form. */
    static final String UNSEEN = "(unseen write)";

    private final long maxSteps;

    /** @param maxSteps placements tried before the search gives up (a verdict of {@link Verdict#GAVE_UP}) */
    public LinearizabilityChecker(long maxSteps) {
        this.maxSteps = maxSteps;
    }

    /** Checks one register's history; the register starts absent (null). */
    public Result check(List<Op> history) {
        List<Op> ops = blurUnseen(settleObserved(history.stream()
                .filter(op -> op.outcome() != Op.Outcome.FAILED || op.kind() == Op.Kind.CAS)
                .toList()));
        int[] earlierUnseen = earlierUnseen(ops);
        Entry head = link(ops);
        int answersLeft = (int) ops.stream().filter(op -> op.outcome() != Op.Outcome.UNKNOWN).count();
        Set<Memo> explored = new HashSet<>();
        Deque<Placed> placed = new ArrayDeque<>();
        BitSet placedIds = new BitSet(ops.size());
        String register = null;
        long steps = 0;
        // Where the search got furthest: the answer it could not get past then is the likeliest culprit.
        int furthest = -1;
        Op stuckAt = null;
        Entry entry = head.next;
        while (answersLeft > 0) {
            if (++steps > maxSteps) {
                return new Result(Verdict.GAVE_UP, steps, "gave up after " + maxSteps + " placements; "
                        + furthest(stuckAt, furthest), stuckAt);
            }
            if (entry != null && entry.isCall()) {
                Op op = entry.op;
                int earlier = earlierUnseen[entry.id];
                if (allows(register, op) && (earlier < 0 || placedIds.get(earlier))) {
                    String after = after(register, op);
                    BitSet withThis = (BitSet) placedIds.clone();
                    withThis.set(entry.id);
                    if (explored.add(new Memo(withThis, after))) {
                        placed.push(new Placed(entry, register));
                        placedIds.set(entry.id);
                        register = after;
                        if (entry.answer != null) {
                            answersLeft--;
                        }
                        entry.unlink();
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                // An answer with its operation not yet placed: undo the last placement and try the next candidate.
                if (placed.size() > furthest && entry != null) {
                    furthest = placed.size();
                    stuckAt = entry.op;
                }
                if (placed.isEmpty()) {
                    return new Result(Verdict.NOT_LINEARIZABLE, steps,
                            "no order fits; " + furthest(stuckAt, furthest), stuckAt);
                }
                Placed last = placed.pop();
                last.entry.relink();
                placedIds.clear(last.entry.id);
                register = last.registerBefore;
                if (last.entry.answer != null) {
                    answersLeft++;
                }
                entry = last.entry.next;
            }
        }
        return new Result(Verdict.LINEARIZABLE, steps, "", null);
    }

    /**
     * Values are written once, so a write or CAS of unknown outcome whose value an operation observed (a read of
     * it, a CAS that expected it and succeeded) certainly applied, and before the first such observer answered.
     * Every order the search could accept places it there anyway; saying so up front spares the search from
     * trying it at every later point, which grows with each such write left open.
     */
    static List<Op> settleObserved(List<Op> ops) {
        Map<String, Long> firstObserved = new HashMap<>();
        for (Op op : ops) {
            boolean observes = op.kind() == Op.Kind.READ
                    || op.kind() == Op.Kind.CAS && op.outcome() == Op.Outcome.OK;
            String seen = op.kind() == Op.Kind.READ ? op.value() : op.expected();
            if (observes && seen != null) {
                firstObserved.merge(seen, op.completed(), Math::min);
            }
        }
        return ops.stream().map(op -> {
            Long deadline = firstObserved.get(op.value());
            if (op.kind() == Op.Kind.READ || op.outcome() != Op.Outcome.UNKNOWN || deadline == null) {
                return op;
            }
            return new Op(op.client(), op.kind(), op.mode(), op.key(), op.expected(), op.value(), op.invoked(),
                    Math.max(deadline, op.invoked()), Op.Outcome.OK);
        }).toList();
    }

    /**
     * A write of unknown outcome whose value nobody observed (no read returned it, no CAS expected it) can only have
     * made the register hold a value nobody read, whichever it was: such writes get one shared stand-in value, which
     * no read or CAS matches, as none matched theirs. That keeps every comparison the search makes as it was, and
     * makes the writes interchangeable (see {@link #earlierUnseen}).
     */
    static List<Op> blurUnseen(List<Op> ops) {
        Set<String> observed = new HashSet<>();
        for (Op op : ops) {
            observed.add(op.kind() == Op.Kind.READ ? op.value() : op.expected());
        }
        return ops.stream().map(op -> isUnseenWrite(op, observed)
                ? new Op(op.client(), op.kind(), op.mode(), op.key(), op.expected(), UNSEEN, op.invoked(),
                        op.completed(), op.outcome())
                : op).toList();
    }

    private static boolean isUnseenWrite(Op op, Set<String> observed) {
        return op.kind() == Op.Kind.WRITE && op.outcome() == Op.Outcome.UNKNOWN && !observed.contains(op.value());
    }

    /**
     * For each unseen write (blurred), the unseen write invoked just before it, else -1. The search places unseen
     * writes only in the order they were invoked: an order that uses some of them can use the earliest ones in
     * their places instead (each was invoked by then and has the same effect), so no order is lost, and the search
     * tries each number of them placed, not each subset, which with dozens of timed-out writes it could not finish.
     */
    static int[] earlierUnseen(List<Op> ops) {
        int[] earlier = new int[ops.size()];
        Integer[] byInvocation = new Integer[ops.size()];
        for (int id = 0; id < ops.size(); id++) {
            byInvocation[id] = id;
            earlier[id] = -1;
        }
        Arrays.sort(byInvocation, Comparator.comparingLong(id -> ops.get(id).invoked()));
        int last = -1;
        for (int id : byInvocation) {
            Op op = ops.get(id);
            if (op.kind() == Op.Kind.WRITE && op.outcome() == Op.Outcome.UNKNOWN && UNSEEN.equals(op.value())) {
                earlier[id] = last;
                last = id;
            }
        }
        return earlier;
    }

    private static boolean allows(String register, Op op) {
        return switch (op.kind()) {
            case READ -> Objects.equals(register, op.value());
            case WRITE -> true;
            case CAS -> switch (op.outcome()) {
                case OK -> Objects.equals(register, op.expected());
                case FAILED -> !Objects.equals(register, op.expected());
                case UNKNOWN -> true;
            };
        };
    }

    private static String after(String register, Op op) {
        return switch (op.kind()) {
            case READ -> register;
            case WRITE -> op.value();
            case CAS -> op.outcome() != Op.Outcome.FAILED && Objects.equals(register, op.expected())
                    ? op.value() : register;
        };
    }

    private static String furthest(Op op, int placed) {
        return op == null ? "no operation could be placed first"
                : "the furthest order placed " + placed + " operations and then could not fit " + op;
    }

    /** A doubly linked list of invocations and answers in time order, behind a head sentinel. */
    private static Entry link(List<Op> ops) {
        List<Entry> entries = new ArrayList<>();
        for (int id = 0; id < ops.size(); id++) {
            Op op = ops.get(id);
            Entry call = new Entry(id, op, op.invoked(), true);
            entries.add(call);
            if (op.outcome() != Op.Outcome.UNKNOWN) {
                Entry answer = new Entry(id, op, op.completed(), false);
                call.answer = answer;
                entries.add(answer);
            }
        }
        // At equal times an invocation goes first: the two operations then count as concurrent, the weaker claim.
        entries.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.isCall()));
        Entry head = new Entry(-1, null, Long.MIN_VALUE, true);
        Entry previous = head;
        for (Entry e : entries) {
            previous.next = e;
            e.previous = previous;
            previous = e;
        }
        return head;
    }

    private record Memo(BitSet placed, String register) {
    }

    private record Placed(Entry entry, String registerBefore) {
    }

    private static final class Entry {
        final int id;
        final Op op;
        final long time;
        final boolean call;
        Entry answer;
        Entry previous;
        Entry next;

        Entry(int id, Op op, long time, boolean call) {
            this.id = id;
            this.op = op;
            this.time = time;
            this.call = call;
        }

        boolean isCall() {
            return call;
        }

        /** Takes this invocation and its answer out of the list. */
        void unlink() {
            cut(this);
            if (answer != null) {
                cut(answer);
            }
        }

        /** Puts them back where they were; undone in the reverse order of {@link #unlink()}. */
        void relink() {
            if (answer != null) {
                splice(answer);
            }
            splice(this);
        }

        private static void cut(Entry e) {
            e.previous.next = e.next;
            if (e.next != null) {
                e.next.previous = e.previous;
            }
        }

        private static void splice(Entry e) {
            e.previous.next = e;
            if (e.next != null) {
                e.next.previous = e;
            }
        }
    }
}
