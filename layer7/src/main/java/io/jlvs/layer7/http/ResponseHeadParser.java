package io.jlvs.layer7.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses a server's response head, once it is whole (its end found by {@link HeadBoundary}). */
public final class ResponseHeadParser {
    /** The most a response head may take: a longer one is the server's fault (502). */
    public static final int LIMIT = 64 * 1024;

    private ResponseHeadParser() {}

    /**
     * The head in buf[0, length), length being where its blank line ends.
     *
     * @throws IllegalArgumentException when it is not an HTTP/1.x response head, with the reason
     */
    public static ResponseHead parse(byte[] buf, int length) {
        String[] lines = new String(buf, 0, length, StandardCharsets.ISO_8859_1).split("\r?\n");
        if (lines.length == 0 || lines[0].isEmpty()) throw new IllegalArgumentException("empty response");
        String line = lines[0];
        // "HTTP/1.1 200 OK": the version, a space, three digits, then a space and a reason or nothing.
        if (line.length() < 12 || line.charAt(8) != ' ' || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new IllegalArgumentException("status line is not VERSION CODE REASON");
        }
        String version = line.substring(0, 8);
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new IllegalArgumentException("not HTTP/1.0 or HTTP/1.1");
        }
        String code = line.substring(9, 12);
        if (!code.chars().allMatch(c -> c >= '0' && c <= '9') || code.charAt(0) < '1' || code.charAt(0) > '5') {
            throw new IllegalArgumentException("bad status code " + code);
        }
        List<RequestHead.Header> headers = new ArrayList<>();
        String bad = Headers.parseFields(lines, headers);
        if (bad != null) throw new IllegalArgumentException(bad);
        return new ResponseHead(version, Integer.parseInt(code), headers, length);
    }
}
