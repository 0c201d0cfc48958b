package dev.beacon.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class KvTreeTest {
    @Test
    void aFolderListsItsKeysAndFoldsDeeperKeysIntoSubFolders() {
        List<String> under = List.of("app/", "app/config/db", "app/config/web", "app/name", "app/z/");

        List<KvTree.Item> items = KvTree.children("app/", under);

        assertThat(items).extracting(KvTree.Item::name).containsExactly("config/", "name", "z/");
        assertThat(items).extracting(KvTree.Item::folder).containsExactly(true, false, true);
        assertThat(items.get(0).href()).isEqualTo("/ui/kv/app/config/");
        assertThat(items.get(1).key()).isEqualTo("app/name");
    }

    @Test
    void linksEncodeEachSegmentSoAnyKeyNameWorks() {
        assertThat(KvTree.href("")).isEqualTo("/ui/kv/");
        assertThat(KvTree.href("a b/c?d#e%f")).isEqualTo("/ui/kv/a%20b/c%3Fd%23e%25f");
        assertThat(KvTree.href("folder/")).isEqualTo("/ui/kv/folder/");
        assertThat(KvTree.fromPath("a%20b/c%3Fd%23e%25f")).isEqualTo("a b/c?d#e%f");
    }

    @Test
    void parentsAndBreadcrumbsFollowTheSeparator() {
        assertThat(KvTree.parent("a/b/c")).isEqualTo("a/b/");
        assertThat(KvTree.parent("a/b/")).isEqualTo("a/");
        assertThat(KvTree.parent("a")).isEmpty();
        assertThat(KvTree.crumbs("a/b/c")).extracting(KvTree.Crumb::name)
                .containsExactly("Key/Value", "a/", "b/", "c");
        assertThat(KvTree.crumbs("a/b/c")).extracting(KvTree.Crumb::href)
                .containsExactly("/ui/kv/", "/ui/kv/a/", "/ui/kv/a/b/", "/ui/kv/a/b/c");
        assertThat(KvTree.crumbs("")).hasSize(1);
    }

    @Test
    void anotherDatacentersLinksCarryIt() {
        assertThat(KvTree.crumbsIn("a/b", "dc 2")).extracting(KvTree.Crumb::href)
                .containsExactly("/ui/kv/?dc=dc%202", "/ui/kv/a/?dc=dc%202", "/ui/kv/a/b?dc=dc%202");
        assertThat(KvTree.inDatacenter(KvTree.children("", List.of("a/b", "c")), "dc2"))
                .extracting(KvTree.Item::href).containsExactly("/ui/kv/a/?dc=dc2", "/ui/kv/c?dc=dc2");
        assertThat(KvTree.crumbsIn("a", null)).isEqualTo(KvTree.crumbs("a"));
    }
}
