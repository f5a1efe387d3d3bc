package io.jlvs.health.check;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * One GET over HTTP or HTTPS as keepalived's HTTP_GET, SSL_GET and genhash send it, and its answer: the status,
 * the headers, the MD5 of the whole body computed as it streams in (never buffered), and the first bytes of the
 * body for a regex. The one place that speaks HTTP for the checkers and for genhash.
 */
final class HttpFetch {
    private HttpFetch() {}

    /** The most of a body kept for regex matching; the digest still covers all of it. */
    static final int REGEX_BODY_LIMIT = 1 << 20;

    /**
     * What to ask.
     *
     * @param host         the Host header (virtualhost, else the address literal), without the port
     * @param path         the url's path
     * @param httpProtocol "1.0" (default), "1.1", "1.0C" (with Connection: close), "1.0K" (with keep-alive)
     * @param tls          HTTPS
     * @param sniName      the TLS server name sent; null: none
     */
    record Request(String host, String path, String httpProtocol, boolean tls, String sniName) {}

    /**
     * What came back.
     *
     * @param version    the protocol of the status line
     * @param status     the status code
     * @param headers    the headers, name and value, in order
     * @param md5Hex     MD5 of the body in lower-case hex; null when the body was not read
     * @param bodyLength bytes of body read
     * @param bodyHead   the first bytes of the body, up to the limit asked for
     */
    record Answer(String version, int status, String reasonPhrase, List<String[]> headers, String md5Hex,
                  long bodyLength, byte[] bodyHead) {}

    /**
     * GETs the request's path from the target, on the attempt (which bounds it and closes the connection).
     * readBody false answers as soon as the status line and headers are in; keepBodyBytes bounds bodyHead.
     */
    static void fetch(CheckChannels channels, CheckTarget target, CheckAttempt attempt, EventLoop loop,
                      Request request, boolean readBody, int keepBodyBytes, Consumer<Answer> onAnswer) {
        channels.connectTcp(target, attempt, loop, pipeline -> {
            if (request.tls()) pipeline.addLast(sslHandler(pipeline.channel(), request, target));
            pipeline.addLast(new HttpClientCodec());
            pipeline.addLast(new AnswerHandler(attempt, readBody, keepBodyBytes, onAnswer));
        }, connected -> send(connected, request, target));
    }

    private static void send(Channel channel, Request request, CheckTarget target) {
        boolean http11 = request.httpProtocol() != null && request.httpProtocol().startsWith("1.1");
        // header names spelled as keepalived sends them (Netty's constants are lower case)
        var get = new DefaultFullHttpRequest(http11 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0, HttpMethod.GET,
                request.path());
        get.headers().set("User-Agent", "KeepAliveClient");
        int port = target.remote().getPort();
        boolean defaultPort = port == (request.tls() ? 443 : 80);
        get.headers().set("Host", defaultPort ? request.host() : request.host() + ":" + port);
        String protocol = request.httpProtocol() == null ? "1.0" : request.httpProtocol();
        if (http11 || protocol.equals("1.0C")) get.headers().set("Connection", "close");
        else if (protocol.equals("1.0K")) get.headers().set("Connection", "keep-alive");
        channel.writeAndFlush(get);
    }

    private static SslHandler sslHandler(Channel channel, Request request, CheckTarget target) {
        if (request.sniName() == null) return TrustAll.CONTEXT.newHandler(channel.alloc());
        SslHandler handler = TrustAll.CONTEXT.newHandler(channel.alloc(), request.sniName(),
                target.remote().getPort());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(request.sniName())));
        engine.setSSLParameters(parameters);
        return handler;
    }

    /** keepalived checks servers, not certificates: every certificate is accepted. */
    private static final class TrustAll {
        static final SslContext CONTEXT = build();

        private static SslContext build() {
            try {
                return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            } catch (SSLException e) {
                throw new IllegalStateException("no TLS client context", e);
            }
        }
    }

    /** Reads the response: status and headers, then the body into the digest and the kept head. */
    private static final class AnswerHandler extends ChannelInboundHandlerAdapter {
        private final CheckAttempt attempt;
        private final boolean readBody;
        private final int keepBodyBytes;
        private final Consumer<Answer> onAnswer;
        private final MessageDigest md5 = newMd5();
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private HttpResponse response;
        private long bodyLength;
        private boolean answered;

        AnswerHandler(CheckAttempt attempt, boolean readBody, int keepBodyBytes, Consumer<Answer> onAnswer) {
            this.attempt = attempt;
            this.readBody = readBody;
            this.keepBodyBytes = keepBodyBytes;
            this.onAnswer = onAnswer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (answered) return;
                if (msg instanceof HttpResponse r) {
                    if (r.decoderResult().isFailure()) {
                        attempt.down("malformed HTTP answer: " + FailureReasons.of(r.decoderResult().cause()));
                        return;
                    }
                    response = r;
                    if (!readBody) answer(null);
                }
                if (msg instanceof HttpContent content && response != null && !answered) {
                    consume(content.content());
                    if (msg instanceof LastHttpContent) answer(HexFormat.of().formatHex(md5.digest()));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void consume(ByteBuf body) {
            bodyLength += body.readableBytes();
            for (ByteBuffer chunk : body.nioBuffers()) md5.update(chunk);
            int keep = Math.min(body.readableBytes(), keepBodyBytes - head.size());
            if (keep > 0) {
                byte[] bytes = new byte[keep];
                body.getBytes(body.readerIndex(), bytes);
                head.writeBytes(bytes);
            }
        }

        private void answer(String md5Hex) {
            answered = true;
            List<String[]> headers = response.headers().entries().stream()
                    .map(e -> new String[] {e.getKey(), e.getValue()}).toList();
            onAnswer.accept(new Answer(response.protocolVersion().text(), response.status().code(),
                    response.status().reasonPhrase(), headers, md5Hex, bodyLength, head.toByteArray()));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!answered) attempt.down(response == null ? "connection closed before an HTTP answer"
                    : "connection closed before the end of the body");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.fail(cause);
        }

        private static MessageDigest newMd5() {
            try {
                return MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no MD5", e);
            }
        }
    }
}
