package dev.beacon.state;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one transaction mechanism: journaled writes, undone newest first unless committed. */
class JournalTest {
    private final Journal journal = new Journal();
    private final JournaledMap<String, String> map = new JournaledMap<>(journal, String::compareTo,
            (key, value) -> key.length() + value.length());

    private Map<String, String> contents() {
        return new TreeMap<>(map.view());
    }

    @Test
    void aScopeClosedWithoutCommitUndoesEveryWriteNewestFirst() {
        map.put("a", "1");
        map.put("b", "22");
        long weight = map.weight();

        try (Journal.Scope scope = journal.begin()) {
            map.put("a", "first");
            map.put("a", "second");
            map.remove("b");
            map.put("b", "back");
            map.put("c", "new");
            map.remove("c");
            map.remove("missing");
            map.removeIf((key, value) -> key.equals("a"));
        }

        assertThat(contents()).containsExactly(Map.entry("a", "1"), Map.entry("b", "22"));
        assertThat(map.weight()).isEqualTo(weight).isEqualTo(2 + 3);
        assertThat(journal.isOpen()).isFalse();
    }

    @Test
    void aCommittedScopeKeepsItsWrites() {
        try (Journal.Scope scope = journal.begin()) {
            map.put("a", "1");
            scope.commit();
        }

        assertThat(contents()).containsExactly(Map.entry("a", "1"));
        assertThat(map.weight()).isEqualTo(2);
    }

    @Test
    void anInnerCommitIsUndoneWhenTheOuterScopeAborts() {
        try (Journal.Scope outer = journal.begin()) {
            map.put("a", "outer");
            try (Journal.Scope inner = journal.begin()) {
                map.put("b", "inner");
                inner.commit();
            }
        }

        assertThat(contents()).isEmpty();
        assertThat(map.weight()).isZero();
    }

    @Test
    void anInnerAbortUndoesOnlyItsOwnWrites() {
        try (Journal.Scope outer = journal.begin()) {
            map.put("a", "outer");
            try (Journal.Scope inner = journal.begin()) {
                map.put("a", "inner");
                map.put("b", "inner");
            }
            assertThat(contents()).containsExactly(Map.entry("a", "outer"));
            outer.commit();
        }

        assertThat(contents()).containsExactly(Map.entry("a", "outer"));
    }

    @Test
    void writesOutsideAScopeAreNotJournaled() {
        map.put("a", "1");
        try (Journal.Scope scope = journal.begin()) {
            map.put("b", "2");
        }

        assertThat(contents()).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void anExceptionInsideAScopeUndoesItsWrites() {
        map.put("a", "1");

        assertThatThrownBy(() -> {
            try (Journal.Scope scope = journal.begin()) {
                map.put("a", "2");
                map.remove("a");
                throw new IllegalStateException("half way");
            }
        }).hasMessage("half way");

        assertThat(contents()).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void aTableCannotBeEmptiedInsideAScope() {
        map.put("a", "1");
        try (Journal.Scope scope = journal.begin()) {
            assertThatThrownBy(map::clear).isInstanceOf(IllegalStateException.class);
        }
        map.clear();
        assertThat(contents()).isEmpty();
        assertThat(map.weight()).isZero();
    }

    @Test
    void aScopeFinishesOnce() {
        Journal.Scope scope = journal.begin();
        scope.commit();

        assertThatThrownBy(scope::commit).isInstanceOf(IllegalStateException.class);
        scope.close();
        assertThat(journal.isOpen()).isFalse();
    }

    @Test
    void theViewCannotBeWritten() {
        assertThatThrownBy(() -> map.view().put("a", "1")).isInstanceOf(UnsupportedOperationException.class);
    }
}
