package dev.beacon.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServiceTtlsTest {

    @Test
    void anExactNameWinsThenTheLongestPrefixThenTheStar() {
        ServiceTtls ttls = new ServiceTtls(Map.of("*", Duration.ofSeconds(1), "web*", Duration.ofSeconds(2),
                "web-api*", Duration.ofSeconds(3), "web", Duration.ofSeconds(4), "Db", Duration.ofMinutes(1)));

        assertThat(ttls.secondsFor("web")).isEqualTo(4);
        assertThat(ttls.secondsFor("WEB")).isEqualTo(4);
        assertThat(ttls.secondsFor("web-api-v2")).isEqualTo(3);
        assertThat(ttls.secondsFor("webby")).isEqualTo(2);
        assertThat(ttls.secondsFor("db")).isEqualTo(60);
        assertThat(ttls.secondsFor("cache")).isEqualTo(1);
    }

    @Test
    void withoutAStarAnUnmatchedServiceIsNotCached() {
        ServiceTtls ttls = new ServiceTtls(Map.of("web*", Duration.ofSeconds(2)));

        assertThat(ttls.secondsFor("cache")).isZero();
        assertThat(ServiceTtls.none().secondsFor("web")).isZero();
    }

    @Test
    void aNegativeTtlIsRejected() {
        assertThatThrownBy(() -> new ServiceTtls(Map.of("web", Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
