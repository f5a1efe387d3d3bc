package io.jlvs.health.check;

import io.jlvs.health.config.CheckerSpec;
import io.netty.channel.EventLoop;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTTP_GET and SSL_GET: GETs each url in order, one connection each, all within the one bound of the check; the
 * server is up when every answer has an accepted status, the digest asked for and the regex (or not the
 * regex_no_match) in its first mebibyte.
 */
final class HttpChecker extends NettyChecker {
    private final CheckerSpec.Http spec;

    HttpChecker(CheckChannels channels, CheckerSpec.Http spec, CheckTarget target) {
        super(channels, target, spec.timing().connectTimeout(), spec.kind() + " " + target.hostPort()
                + (spec.urls().isEmpty() ? "" : " " + spec.urls().getFirst().path()));
        this.spec = spec;
    }

    @Override
    protected void start(CheckAttempt attempt, EventLoop loop) {
        if (spec.urls().isEmpty()) attempt.down("no url to check");
        else fetch(0, attempt, loop);
    }

    private void fetch(int index, CheckAttempt attempt, EventLoop loop) {
        List<CheckerSpec.UrlSpec> urls = spec.urls();
        CheckerSpec.UrlSpec url = urls.get(index);
        boolean readBody = url.digest() != null || url.regex() != null;
        int keep = url.regex() != null ? HttpFetch.REGEX_BODY_LIMIT : 0;
        HttpFetch.fetch(channels, target, attempt, loop, request(url), readBody, keep, answer -> {
            String failure = failure(url, answer);
            String where = urls.size() > 1 ? " on " + url.path() : "";
            if (failure != null) attempt.down(failure + where);
            else if (index + 1 < urls.size()) fetch(index + 1, attempt, loop);
            else attempt.up("HTTP " + answer.status() + where);
        });
    }

    private HttpFetch.Request request(CheckerSpec.UrlSpec url) {
        String virtualhost = url.virtualhost() != null ? url.virtualhost() : spec.virtualhost();
        String host = virtualhost != null ? virtualhost : CheckTarget.hostLiteral(target.remote().getAddress());
        String sni = null;
        if (spec.tls() && spec.enableSni()) sni = spec.sniName() != null ? spec.sniName() : virtualhost;
        return new HttpFetch.Request(host, url.path(), spec.httpProtocol(), spec.tls(), sni);
    }

    /** Why the answer fails the url, or null when it passes. */
    private static String failure(CheckerSpec.UrlSpec url, HttpFetch.Answer answer) {
        if (!url.accepts(answer.status())) return "HTTP " + answer.status();
        if (url.digest() != null && !url.digest().equalsIgnoreCase(answer.md5Hex())) {
            return "digest mismatch (got " + answer.md5Hex() + ", want " + url.digest() + ")";
        }
        if (url.regex() != null) {
            // bytes as ISO-8859-1: one char per byte, so any body can be searched
            boolean found = url.regex().matcher(new String(answer.bodyHead(), StandardCharsets.ISO_8859_1)).find();
            if (!found && !url.regexNoMatch()) return "body does not match regex";
            if (found && url.regexNoMatch()) return "body matches regex_no_match";
        }
        return null;
    }
}
