package dev.beacon.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a saved history again: {@code java -cp target/test-classes dev.beacon.fault.CheckHistory history.tsv}.
 * Prints the verdict per register, with consistent reads only and with default reads too, and the operations
 * around each one no order could fit.
 */
public final class CheckHistory {
    private CheckHistory() {
    }

    public static void main(String[] args) throws IOException {
        List<Op> history = HistoryFile.read(Path.of(args[0]));
        report("consistent", history, EnumSet.of(Op.ReadMode.CONSISTENT));
        report("with default", history, EnumSet.of(Op.ReadMode.CONSISTENT, Op.ReadMode.DEFAULT));
        System.out.println("stale reads of values never written: "
                + HistoryChecks.phantomReads(history, Op.ReadMode.STALE).size());
    }

    private static void report(String what, List<Op> history, Set<Op.ReadMode> modes) {
        Map<String, LinearizabilityChecker.Result> results = HistoryChecks.linearizability(history, modes);
        System.out.println(what + ": " + HistoryChecks.summary(results));
        results.values().forEach(result -> System.out.print(
                HistoryChecks.around(history, result.stuckAt(), Duration.ofSeconds(1).toNanos())));
    }
}
