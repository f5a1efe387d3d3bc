package io.jlvs.console.http;

import io.jlvs.console.MetricsEndpoint;

import io.jlvs.console.api.ApiException;
import io.jlvs.console.api.ApiResponse;
import io.jlvs.console.api.RestApi;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One HTTP connection's requests: checks access, then serves a console file on the event loop, or hands an API
 * call or a scrape to the call threads and writes the answer when it is ready. Answers go out in request order
 * because a connection's next request is read only after its answer (HTTP/1.1 without pipelining in practice;
 * a pipelining client is served, possibly out of order, and must not pipeline).
 */
final class ConsoleHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
    private static final String API = "/api/v1/";
    private static final String CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "frame-ancestors 'none'";

    private final AccessToken token;
    private final RestApi api;
    private final MetricsEndpoint metrics;
    private final EventStream events;
    private final Executor calls;
    private final RequestDeadline deadline;
    private final StaticFiles files;

    ConsoleHandler(AccessToken token, RestApi api, MetricsEndpoint metrics, EventStream events, Executor calls,
                   RequestDeadline deadline, StaticFiles files) {
        this.token = token;
        this.api = api;
        this.metrics = metrics;
        this.events = events;
        this.calls = calls;
        this.deadline = deadline;
        this.files = files;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            send(ctx, error(400, "malformed request"), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.rawPath();
        String method = req.method().name();
        boolean read = req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD);
        boolean isApi = path.startsWith(API) || path.equals("/api/v1") || path.equals("/metrics");

        if (isApi) {
            ApiResponse denied = access(ctx, req, read);
            if (denied != null) {
                send(ctx, denied, keepAlive);
                return;
            }
        }
        if (path.equals("/metrics")) {
            if (!read) {
                send(ctx, error(405, method + " is not allowed here (allowed: GET)"), keepAlive);
            } else if (metrics == null) {
                send(ctx, error(404, "this daemon serves no metrics"), keepAlive);
            } else {
                String accept = req.headers().get(HttpHeaderNames.ACCEPT);
                offload(ctx, keepAlive,
                        () -> new ApiResponse(200, metrics.contentType(accept), metrics.scrape(accept)));
            }
            return;
        }
        if (path.equals(API + "events")) {
            if (!read) send(ctx, error(405, method + " is not allowed here (allowed: GET)"), keepAlive);
            else startEvents(ctx);
            return;
        }
        if (isApi) {
            if (!read && req.content().isReadable()) {
                String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
                if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                    send(ctx, error(415, "a request body must be application/json"), keepAlive);
                    return;
                }
            }
            List<String> segments = segments(path.length() <= API.length() ? "" : path.substring(API.length()));
            Map<String, String> query = new HashMap<>();
            uri.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.getFirst()));
            byte[] body = ByteBufUtil.getBytes(req.content());
            String client = client(ctx);
            offload(ctx, keepAlive, () -> api.handle(method, segments, query, body, client));
            return;
        }
        if (!read) {
            send(ctx, error(405, method + " is not allowed here (allowed: GET)"), keepAlive);
            return;
        }
        StaticFiles.File f = files.find(QueryStringDecoder.decodeComponent(path));
        if (f == null) {
            send(ctx, error(404, "no such page: " + path), keepAlive);
            return;
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(f.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType());
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, f.immutable() ? "public, max-age=31536000, immutable" : "no-cache");
        write(ctx, res, keepAlive);
    }

    /** Null when the request may go on; else the 401 or 403 answer. */
    private ApiResponse access(ChannelHandlerContext ctx, FullHttpRequest req, boolean read) {
        if (read && fromListenerAddress(ctx)) return null;
        String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null) {
            return error(401, read ? "reads from another address need the token: Authorization: Bearer TOKEN"
                    : "changes need the token: Authorization: Bearer TOKEN (see --http-token-file)");
        }
        if (!token.matches(authorization)) return error(403, "wrong token");
        return null;
    }

    /** A client on the listener's own address (loopback by default): reads need no token. */
    private static boolean fromListenerAddress(ChannelHandlerContext ctx) {
        InetAddress remote = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        InetAddress local = ((InetSocketAddress) ctx.channel().localAddress()).getAddress();
        return remote.equals(local) || (remote.isLoopbackAddress() && local.isLoopbackAddress());
    }

    private void startEvents(ChannelHandlerContext ctx) {
        deadline.streaming();
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        res.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        securityHeaders(res.headers());
        ctx.write(res);
        // Buffers written after a chunked head are framed as chunks by the HTTP encoder: each event is one chunk.
        ctx.writeAndFlush(Unpooled.copiedBuffer(": jlvs events\nretry: 2000\n\n", java.nio.charset.StandardCharsets.UTF_8));
        events.add(ctx.channel());
    }

    @FunctionalInterface
    private interface Call {
        ApiResponse run() throws Exception;
    }

    private void offload(ChannelHandlerContext ctx, boolean keepAlive, Call call) {
        try {
            calls.execute(() -> {
                ApiResponse response;
                try {
                    response = call.run();
                } catch (Exception | Error e) {
                    LOG.warn("http: a call failed: {}", e.toString(), e);
                    response = error(500, "internal error: " + e);
                }
                ApiResponse r = response;
                ctx.executor().execute(() -> send(ctx, r, keepAlive));
            });
        } catch (RejectedExecutionException e) {
            FullHttpResponse res = response(error(503, "the console is busy; try again"));
            res.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            write(ctx, res, keepAlive);
        }
    }

    private static List<String> segments(String rest) {
        List<String> out = new ArrayList<>();
        for (String s : rest.split("/", -1)) {
            if (!s.isEmpty()) out.add(QueryStringDecoder.decodeComponent(s));
        }
        return out;
    }

    private static String client(ChannelHandlerContext ctx) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    static ApiResponse error(int status, String message) {
        return ApiResponse.error(new ApiException(status, message));
    }

    private static void send(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive) {
        write(ctx, response(r), keepAlive);
    }

    private static FullHttpResponse response(ApiResponse r) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        if (r.body().length > 0 || r.status() != 204) res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        if (r.status() == 401) res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"jlvs\"");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return res;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
        securityHeaders(res.headers());
        HttpUtil.setContentLength(res, res.content().readableBytes());
        boolean keep = keepAlive && res.status().code() < 500 && res.status().code() != 400;
        HttpUtil.setKeepAlive(res, keep);
        var future = ctx.writeAndFlush(res);
        if (!keep) future.addListener(ChannelFutureListener.CLOSE);
    }

    private static void securityHeaders(HttpHeaders h) {
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", CSP);
        h.set("Referrer-Policy", "no-referrer");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("http {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
