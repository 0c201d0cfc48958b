package dev.beacon.etcd;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * etcd v3 clients (etcdctl's default mode, jetcd, Go's clientv3) speak gRPC over HTTP/2 to the same port 2379, but
 * Beacon serves etcd's v2 API only. Left to the HTTP/1.1 server, such a client saw its connection fail and retried
 * until its deadline ("context deadline exceeded"). A connection that opens with HTTP/2's preface is therefore
 * handed to Netty's HTTP/2 codec, and every call on it is answered at once with gRPC's UNIMPLEMENTED and a message
 * saying what to use instead, which etcdctl prints. Any other connection loses this handler at its first read.
 */
final class V3Refusal extends ChannelInboundHandlerAdapter {
    /** The start of the preface every HTTP/2 connection opens with; no HTTP/1.1 method is named PRI. */
    private static final byte[] PREFACE_START = "PRI * HTTP/2.0".getBytes(StandardCharsets.US_ASCII);
    /** Printable ASCII without '%', which gRPC's grpc-message carries as it is (no percent-encoding needed). */
    private static final String MESSAGE = "Beacon serves etcd's v2 API only (on this port: /v2/keys, /v2/members, ...);"
            + " etcd's v3 gRPC API is not provided: use a v2 client, or etcdctl with ETCDCTL_API=2";
    private static final String UNIMPLEMENTED = "12";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && opensHttp2(bytes)) {
            ctx.pipeline().addAfter(ctx.name(), "http2", Http2FrameCodecBuilder.forServer().build())
                    .addAfter("http2", "v3-calls", new Calls());
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(msg);
    }

    private static boolean opensHttp2(ByteBuf bytes) {
        int length = Math.min(bytes.readableBytes(), PREFACE_START.length);
        for (int i = 0; i < length; i++) {
            if (bytes.getByte(bytes.readerIndex() + i) != PREFACE_START[i]) {
                return false;
            }
        }
        return length >= 4;
    }

    /**
     * Answers each call's headers with a trailers-only response (gRPC's form for a call refused before any message)
     * and drops everything else the client sends; the codec keeps the connection's settings and pings.
     * Nothing of it reaches the HTTP/1.1 handlers after it.
     */
    private static final class Calls extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame call) {
                    Http2Headers answer = new DefaultHttp2Headers().status("200")
                            .set("content-type", "application/grpc")
                            .set("grpc-status", UNIMPLEMENTED)
                            .set("grpc-message", MESSAGE);
                    ctx.writeAndFlush(new DefaultHttp2HeadersFrame(answer, true).stream(call.stream()));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
