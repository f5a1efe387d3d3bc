package io.jlvs.layer7.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and parses a request head in the bytes received so far. The head ends at the first empty line; it is
 * parsed once, when complete. A head longer than the limit is refused (431) before it is complete, so a client
 * cannot make the proxy buffer more than the limit; a head that is not HTTP/1.x is malformed (400).
 */
public final class RequestHeadParser {
    /** The outcome of one look at the buffer. */
    public sealed interface Result {}

    /** The head is not complete yet: read more. */
    public record Incomplete() implements Result {}

    /** The head is refused: answer this status and close. */
    public record Refused(int status, String reason) implements Result {}

    /** A complete head. */
    public record Complete(RequestHead head) implements Result {}

    private static final Incomplete INCOMPLETE = new Incomplete();
    private final int limit;

    public RequestHeadParser(int limit) {
        if (limit < 64) throw new IllegalArgumentException("head limit too small: " + limit);
        this.limit = limit;
    }

    public int limit() { return limit; }

    /** Looks at buf[0, length): the head, not yet, or a refusal. */
    public Result parse(byte[] buf, int length) {
        int end = headEnd(buf, Math.min(length, limit));
        if (end < 0) {
            return length >= limit ? new Refused(431, "request head larger than " + limit + " bytes") : INCOMPLETE;
        }
        return parseHead(buf, end);
    }

    /** The index after "\r\n\r\n" (or "\n\n"), or -1. */
    private static int headEnd(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != '\n') continue;
            if (i + 1 < n && b[i + 1] == '\n') return i + 2;
            if (i + 2 < n && b[i + 1] == '\r' && b[i + 2] == '\n') return i + 3;
        }
        return -1;
    }

    private static Result parseHead(byte[] b, int end) {
        String text = new String(b, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        if (lines.length == 0) return malformed("empty request");
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3) return malformed("request line is not METHOD TARGET VERSION");
        String method = requestLine[0], target = requestLine[1], version = requestLine[2];
        if (method.isEmpty() || !method.chars().allMatch(Headers::tokenChar)) return malformed("bad method");
        if (target.isEmpty() || target.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) return malformed("bad request target");
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) return malformed("not HTTP/1.0 or HTTP/1.1");
        List<RequestHead.Header> headers = new ArrayList<>();
        String bad = Headers.parseFields(lines, headers);
        if (bad != null) return malformed(bad);
        return new Complete(new RequestHead(method, pathOf(target), version, headers, end));
    }

    /** An absolute-form target ("http://host/p") names its path after the authority. */
    private static String pathOf(String target) {
        if (target.startsWith("/")) return target;
        int scheme = target.indexOf("://");
        if (scheme < 0) return target;
        int slash = target.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : target.substring(slash);
    }

    private static Refused malformed(String why) {
        return new Refused(400, why);
    }
}
