package io.jlvs.health.check;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * keepalived's genhash: fetches a url from a server over HTTP or HTTPS, exactly as HTTP_GET and SSL_GET do (the
 * same request and the same streaming MD5), and gives the digest to put in a url block's digest.
 */
public final class Genhash {
    private Genhash() {}

    /**
     * What to fetch.
     *
     * @param server       the server's address and port
     * @param path         the url's path
     * @param tls          HTTPS
     * @param virtualhost  the Host header; null: the address
     * @param sniName      the TLS server name sent; null: none
     * @param httpProtocol "1.0", "1.0C", "1.0K" or "1.1" as in http_protocol; null: "1.0"
     * @param fwmark       SO_MARK of the connection; 0: none
     * @param timeout      bound of the whole fetch
     */
    public record Request(InetSocketAddress server, String path, boolean tls, String virtualhost, String sniName,
                          String httpProtocol, int fwmark, Duration timeout) {}

    /**
     * What came back: error is null when an answer came.
     *
     * @param statusLine "HTTP/1.0 200 OK"
     * @param headers    name and value of each header, in order
     * @param md5Hex     MD5 of the whole body, lower-case hex, as genhash prints it and a url's digest takes it
     */
    public record Result(String error, String statusLine, List<String[]> headers, long bodyLength, String md5Hex) {
        static Result failed(String error) {
            return new Result(error, null, List.of(), 0, null);
        }
    }

    /** Fetches on the checkers' loops; the future always completes normally, within the request's timeout. */
    public static CompletableFuture<Result> fetch(NettyCheckers checkers, Request request) {
        CheckChannels channels = checkers.channels();
        CheckTarget target = new CheckTarget(request.server(), null, request.fwmark());
        var loop = channels.nextLoop();
        CheckAttempt attempt = channels.track(new CheckAttempt(loop, request.timeout()));
        String host = request.virtualhost() != null ? request.virtualhost()
                : CheckTarget.hostLiteral(request.server().getAddress());
        var httpRequest = new HttpFetch.Request(host, request.path(), request.httpProtocol(), request.tls(),
                request.sniName());
        AtomicReference<HttpFetch.Answer> answer = new AtomicReference<>();
        loop.execute(() -> HttpFetch.fetch(channels, target, attempt, loop, httpRequest, true, 0, a -> {
            answer.set(a);
            attempt.up("fetched");
        }));
        return attempt.result().thenApply(verdict -> {
            HttpFetch.Answer a = answer.get();
            if (!verdict.up() || a == null) return Result.failed(verdict.reason());
            String statusLine = a.version() + " " + a.status() + " " + a.reasonPhrase();
            return new Result(null, statusLine, a.headers(), a.bodyLength(), a.md5Hex());
        });
    }

    /**
     * The report genhash prints: "MD5SUM = digest"; verbose adds the status line, the headers and the body's
     * length first. A failed fetch reports its error.
     */
    public static String report(Request request, Result result, boolean verbose) {
        StringBuilder out = new StringBuilder();
        if (verbose) {
            out.append("-----------------------[    HTTP Header Buffer    ]-----------------------\n");
            out.append("GET ").append(request.path()).append(" from ")
                    .append(CheckTarget.hostLiteral(request.server().getAddress())).append(':')
                    .append(request.server().getPort()).append(request.tls() ? " (TLS)" : "").append('\n');
        }
        if (result.error() != null) return out.append("cannot fetch: ").append(result.error()).append('\n').toString();
        if (verbose) {
            out.append(result.statusLine()).append('\n');
            for (String[] header : result.headers()) out.append(header[0]).append(": ").append(header[1]).append('\n');
            out.append("-----------------------[ HTML hash final resulting ]-----------------------\n");
            out.append("body: ").append(result.bodyLength()).append(" bytes\n");
        }
        return out.append("MD5SUM = ").append(result.md5Hex()).append('\n').toString();
    }
}
