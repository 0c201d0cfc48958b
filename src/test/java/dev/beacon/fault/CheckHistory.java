package dev.beacon.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/**
 * Checks a saved history again: {@code java -cp target/test-classes dev.beacon.fault.CheckHistory history.tsv}.
 * Prints the verdict per register, with consistent reads only and with default reads too.
 */
public final class CheckHistory {
    private CheckHistory() {
    }

    public static void main(String[] args) throws IOException {
        List<Op> history = HistoryFile.read(Path.of(args[0]));
        System.out.println("consistent: " + HistoryChecks.summary(
                HistoryChecks.linearizability(history, EnumSet.of(Op.ReadMode.CONSISTENT))));
        System.out.println("with default: " + HistoryChecks.summary(
                HistoryChecks.linearizability(history, EnumSet.of(Op.ReadMode.CONSISTENT, Op.ReadMode.DEFAULT))));
        System.out.println("stale reads of values never written: "
                + HistoryChecks.phantomReads(history, Op.ReadMode.STALE).size());
    }
}
