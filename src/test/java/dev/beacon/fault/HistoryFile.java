package dev.beacon.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A history as a tab-separated file, one operation a line, kept beside the servers' logs so that a failed run can be
 * checked again ({@link CheckHistory}). An absent value is written as {@code -}.
 */
final class HistoryFile {
    private HistoryFile() {
    }

    static void write(Path file, List<Op> history) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Op op : history) {
            out.append(op.client()).append('\t').append(op.kind()).append('\t').append(orDash(op.mode()))
                    .append('\t').append(op.key()).append('\t').append(orDash(op.expected())).append('\t')
                    .append(orDash(op.value())).append('\t').append(op.invoked()).append('\t')
                    .append(op.completed()).append('\t').append(op.outcome()).append('\n');
        }
        Files.writeString(file, out);
    }

    static List<Op> read(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).map(HistoryFile::parse).toList();
    }

    private static Op parse(String line) {
        String[] f = line.split("\t", -1);
        return new Op(Integer.parseInt(f[0]), Op.Kind.valueOf(f[1]),
                f[2].equals("-") ? null : Op.ReadMode.valueOf(f[2]), f[3], nullIfDash(f[4]), nullIfDash(f[5]),
                Long.parseLong(f[6]), Long.parseLong(f[7]), Op.Outcome.valueOf(f[8]));
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }

    private static String nullIfDash(String field) {
        return field.equals("-") ? null : field;
    }
}
