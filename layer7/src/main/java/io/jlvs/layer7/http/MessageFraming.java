package io.jlvs.layer7.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How an HTTP/1.1 message's body is delimited (RFC 9112, section 6): none, a Content-Length, chunked transfer
 * coding, or (responses only) the server's close. A request with both Transfer-Encoding and Content-Length, or with
 * a transfer coding other than chunked last, is refused: the proxy and the server could read its end differently.
 *
 * @param length the body's size in bytes for {@link Kind#LENGTH}, else 0
 */
public record MessageFraming(Kind kind, long length) {
    public enum Kind { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    public static final MessageFraming NONE = new MessageFraming(Kind.NONE, 0);
    public static final MessageFraming CHUNKED = new MessageFraming(Kind.CHUNKED, 0);
    public static final MessageFraming UNTIL_CLOSE = new MessageFraming(Kind.UNTIL_CLOSE, 0);

    /**
     * A request's body.
     *
     * @throws IllegalArgumentException when its framing is malformed or ambiguous (answered 400), with the reason
     */
    public static MessageFraming ofRequest(RequestHead head) {
        List<String> codings = transferCodings(head.headers());
        long length = contentLength(head.headers());
        if (!codings.isEmpty()) {
            if (length >= 0) throw new IllegalArgumentException("both Transfer-Encoding and Content-Length");
            if (!head.version().equals("HTTP/1.1")) throw new IllegalArgumentException("Transfer-Encoding in HTTP/1.0");
            if (!codings.getLast().equals("chunked")) {
                throw new IllegalArgumentException("the last transfer coding is not chunked");
            }
            return CHUNKED;
        }
        return length > 0 ? new MessageFraming(Kind.LENGTH, length) : NONE;
    }

    /**
     * A response's body, for the request method it answers: none for HEAD, 1xx, 204 and 304; chunked when the last
     * transfer coding is; the Content-Length; else until the server closes.
     *
     * @throws IllegalArgumentException when its Content-Length is malformed (answered 502), with the reason
     */
    public static MessageFraming ofResponse(String method, ResponseHead head) {
        int status = head.status();
        if (method.equals("HEAD") || head.interim() || status == 204 || status == 304) return NONE;
        if (method.equals("CONNECT") && status / 100 == 2) return UNTIL_CLOSE;
        List<String> codings = transferCodings(head.headers());
        if (!codings.isEmpty()) return codings.getLast().equals("chunked") ? CHUNKED : UNTIL_CLOSE;
        long length = contentLength(head.headers());
        if (length < 0) return UNTIL_CLOSE;
        return length == 0 ? NONE : new MessageFraming(Kind.LENGTH, length);
    }

    /** The transfer codings of every Transfer-Encoding field, in order, in lower case. */
    private static List<String> transferCodings(List<RequestHead.Header> headers) {
        List<String> codings = new ArrayList<>();
        for (RequestHead.Header h : headers) {
            if (!h.name().equalsIgnoreCase("Transfer-Encoding")) continue;
            for (String c : h.value().split(",")) {
                String coding = c.strip().toLowerCase(Locale.ROOT);
                if (!coding.isEmpty()) codings.add(coding);
            }
        }
        return codings;
    }

    /** The Content-Length, or -1 without one; repeated values must agree. */
    private static long contentLength(List<RequestHead.Header> headers) {
        long length = -1;
        for (RequestHead.Header h : headers) {
            if (!h.name().equalsIgnoreCase("Content-Length")) continue;
            for (String v : h.value().split(",", -1)) {
                String value = v.strip();
                if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new IllegalArgumentException("bad Content-Length '" + h.value() + "'");
                }
                long n = Long.parseLong(value);
                if (length >= 0 && n != length) throw new IllegalArgumentException("Content-Length values disagree");
                length = n;
            }
        }
        return length;
    }
}
