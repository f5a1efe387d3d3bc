package io.jlvs.layer7.http;

import java.util.List;

/**
 * An HTTP/1.x response head as a server sent it: the status line's version and code, and the header fields in
 * order. {@code length} is the head's size in bytes, its blank line included.
 */
public record ResponseHead(String version, int status, List<RequestHead.Header> headers, int length) {
    public ResponseHead {
        headers = List.copyOf(headers);
    }

    /** The first value of a header, by name in any case, or null. */
    public String header(String name) {
        return Headers.first(headers, name);
    }

    /** An interim answer (1xx): the final one follows on the same exchange. */
    public boolean interim() { return status >= 100 && status < 200; }

    /** Whether the server keeps the connection open after this response (HTTP/1.1 unless "close"). */
    public boolean keepAlive() {
        return Headers.persistent(version, headers);
    }
}
