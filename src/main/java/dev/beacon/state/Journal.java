package dev.beacon.state;

import java.util.ArrayDeque;

/**
 * The undo log of the store's open transaction, as Consul's memdb aborts a write transaction as a whole. Every
 * mutable table keeps its rows in {@link JournaledMap}s, which record each write's prior value here while a scope
 * is open, so no write path can forget to: closing a scope that was not committed undoes its writes, newest
 * first. Scopes nest (a {@code /v1/txn} inside the command applying it); committing an inner one hands its steps
 * to the outer one, and the outermost commit drops them. The cost is one step per write, never a copy of a table.
 */
final class Journal {
    /** Beyond this many steps the emptied log is dropped rather than kept: an ArrayDeque never shrinks. */
    private static final int RETAINED_STEPS = 4096;
    private ArrayDeque<Runnable> undo = new ArrayDeque<>();
    private int open;

    /** Opens a scope; use it in try-with-resources and call {@link Scope#commit} as its last statement. */
    Scope begin() {
        open++;
        return new Scope(undo.size());
    }

    boolean isOpen() {
        return open > 0;
    }

    /** Records how to undo a write that was just made; nothing to record outside a scope. */
    void record(Runnable step) {
        if (open > 0) {
            undo.push(step);
        }
    }

    /** One level of transaction: everything written since it began, until it commits or is closed. */
    final class Scope implements AutoCloseable {
        private final int mark;
        private boolean finished;

        private Scope(int mark) {
            this.mark = mark;
        }

        /** Keeps the writes made in this scope. */
        void commit() {
            finish();
        }

        /** Undoes the writes made in this scope, unless it committed. */
        @Override
        public void close() {
            if (!finished) {
                while (undo.size() > mark) {
                    undo.pop().run();
                }
                finish();
            }
        }

        private void finish() {
            if (finished || open == 0 || undo.size() < mark) {
                throw new IllegalStateException("journal scopes must finish once, innermost first");
            }
            finished = true;
            open--;
            if (open == 0) {
                if (undo.size() > RETAINED_STEPS) {
                    undo = new ArrayDeque<>();
                } else {
                    undo.clear();
                }
            }
        }
    }
}
