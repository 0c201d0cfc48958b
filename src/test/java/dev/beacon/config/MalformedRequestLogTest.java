package dev.beacon.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class MalformedRequestLogTest {
    private final LoggerContext context = new LoggerContext();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final MalformedRequestLog filter = new MalformedRequestLog(nanos::get);

    @Test
    void decodingFailuresAreSwallowedAndCountedUntilTheNextReport() {
        ch.qos.logback.classic.Logger netty = context.getLogger(MalformedRequestLog.REACTOR_NETTY_SERVER);
        DefaultFullHttpRequest bad = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad");
        bad.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("invalid version format: HTTP/9.9")));
        Object[] params = {bad};

        assertThat(filter.decide(null, netty, Level.WARN, "[id] Decoding failed: {}", params, null))
                .isEqualTo(FilterReply.DENY);
        assertThat(filter.leftOut()).as("the first one is reported").isZero();
        filter.decide(null, netty, Level.WARN, "[id] Decoding failed: {}", params, null);
        filter.decide(null, netty, Level.WARN, "[id] Decoding failed: {}", params, null);
        assertThat(filter.leftOut()).isEqualTo(2);

        nanos.addAndGet(31_000_000_000L);
        filter.decide(null, netty, Level.WARN, "[id] Decoding failed: {}", params, null);
        assertThat(filter.leftOut()).as("reported with the count, which starts again").isZero();
    }

    @Test
    void theReportSaysWhatWasWrongAndNeverRepeatsTheHeaders() {
        String line = "[e662947e, L:/127.0.0.1:18500 - R:/127.0.0.1:44586] Decoding failed: FULL_REQUEST(decodeResult: "
                + "failure(java.lang.IllegalArgumentException: invalid version format: HTTP/9.9), version: HTTP/1.0)\n"
                + "GET /bad HTTP/1.0\nX-Consul-Token: secret";
        assertThat(MalformedRequestLog.what(line, null))
                .isEqualTo("java.lang.IllegalArgumentException: invalid version format: HTTP/9.9");
        assertThat(MalformedRequestLog.what(line, null)).doesNotContain("secret");
        assertThat(MalformedRequestLog.what("[id] Decoding failed: {}", new Object[] {line}))
                .as("the request passed as text").startsWith("java.lang.IllegalArgumentException");
        assertThat(MalformedRequestLog.what("Decoding failed", null)).isEqualTo("undecodable request");
    }

    @Test
    void otherLinesPassThrough() {
        ch.qos.logback.classic.Logger netty = context.getLogger(MalformedRequestLog.REACTOR_NETTY_SERVER);
        ch.qos.logback.classic.Logger other = context.getLogger("dev.beacon.api.ApiServerRoute");
        assertThat(filter.decide(null, netty, Level.WARN, "Connection reset", null, null))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, other, Level.WARN, "Decoding failed: {}", null, null))
                .isEqualTo(FilterReply.NEUTRAL);
    }
}
