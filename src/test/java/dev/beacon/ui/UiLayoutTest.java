package dev.beacon.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UiLayoutTest {
    @Test
    void pageAddressesEncodeFilterValuesAndLeaveOutBlankOnes() {
        assertThat(UiLayout.url("/ui/services")).isEqualTo("/ui/services");
        assertThat(UiLayout.url("/ui/services", "q", null, "tag", " ", "dc", "dc2")).isEqualTo("/ui/services?dc=dc2");
        assertThat(UiLayout.url("/ui/services", "q", "a b&c=d", "tag", "x#y")).isEqualTo(
                "/ui/services?q=a%20b%26c%3Dd&tag=x%23y");
        assertThat(UiLayout.url("/ui/services/" + UiText.segment("we b"))).isEqualTo("/ui/services/we%20b");
    }
}
