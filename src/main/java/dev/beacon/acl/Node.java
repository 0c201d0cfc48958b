package dev.beacon.acl;

import java.util.List;

/**
 * The syntax tree that both rule formats are read into before their meaning is checked, so that HCL and JSON
 * are validated by one decoder. HCL's block labels become nested blocks, as HCL itself defines them:
 * {@code key "a" { policy = "read" }} is the same tree as {@code key = { "a" = { policy = "read" } }}.
 */
sealed interface Node permits Node.Text, Node.Block {

    /** A string value, with the line it starts on. */
    record Text(String value, int line) implements Node {
    }

    /** The entries of an object, in the order written. */
    record Block(List<Entry> entries) implements Node {
    }

    /** One {@code name = value} pair of a block; {@code line} is where the name is. */
    record Entry(String name, int line, Node value) {
    }
}
