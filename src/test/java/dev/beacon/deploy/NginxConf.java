package dev.beacon.deploy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Just enough of nginx's configuration syntax to check the etcd proxy's file: directives ({@code name args;}) and
 * blocks ({@code name args { ... }}), comments from {@code #} to the end of the line. Quoted strings and variables
 * are not needed there and are refused, so the file stays within what this reads correctly.
 */
final class NginxConf {

    /** A block: its directive name and arguments ({@code upstream beacon_etcd}), and what it contains. */
    record Block(String name, List<String> arguments, List<List<String>> directives, List<Block> blocks) {

        /** Each simple directive with that name, as its arguments. */
        List<List<String>> directives(String directiveName) {
            return directives.stream().filter(d -> d.get(0).equals(directiveName)).map(d -> d.subList(1, d.size()))
                    .toList();
        }

        /** The first argument of each simple directive with that name. */
        List<String> values(String directiveName) {
            return directives(directiveName).stream().map(args -> args.isEmpty() ? "" : args.get(0)).toList();
        }

        List<Block> blocks(String blockName) {
            return blocks.stream().filter(b -> b.name().equals(blockName)).toList();
        }

        Block only(String blockName) {
            List<Block> matches = blocks(blockName);
            if (matches.size() != 1) {
                throw new AssertionError("expected one " + blockName + " block in " + name + ", found "
                        + matches.size());
            }
            return matches.get(0);
        }
    }

    private NginxConf() {
    }

    /** The whole file as the unnamed main block. */
    static Block parse(String text) {
        Deque<Block> open = new ArrayDeque<>();
        open.push(new Block("main", List.of(), new ArrayList<>(), new ArrayList<>()));
        List<String> words = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            int comment = line.indexOf('#');
            String code = comment < 0 ? line : line.substring(0, comment);
            if (code.contains("\"") || code.contains("'") || code.contains("$")) {
                throw new AssertionError("quotes and variables are not read here: " + line);
            }
            StringBuilder word = new StringBuilder();
            for (char c : (code + " ").toCharArray()) {
                if (c == ';' || c == '{' || c == '}' || Character.isWhitespace(c)) {
                    if (!word.isEmpty()) {
                        words.add(word.toString());
                        word.setLength(0);
                    }
                    if (c == ';') {
                        if (words.isEmpty()) {
                            throw new AssertionError("empty directive");
                        }
                        open.peek().directives().add(List.copyOf(words));
                        words.clear();
                    } else if (c == '{') {
                        if (words.isEmpty()) {
                            throw new AssertionError("block without a name");
                        }
                        Block block = new Block(words.get(0), List.copyOf(words.subList(1, words.size())),
                                new ArrayList<>(), new ArrayList<>());
                        open.peek().blocks().add(block);
                        open.push(block);
                        words.clear();
                    } else if (c == '}') {
                        if (!words.isEmpty() || open.size() == 1) {
                            throw new AssertionError("unbalanced '}' or a directive without ';' before it");
                        }
                        open.pop();
                    }
                } else {
                    word.append(c);
                }
            }
        }
        if (open.size() != 1 || !words.isEmpty()) {
            throw new AssertionError("unclosed block or a directive without ';' at the end");
        }
        return open.peek();
    }
}
