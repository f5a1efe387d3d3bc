package io.jlvs.layer7.http;

import java.util.List;

/**
 * An HTTP/1.x request head, parsed once from the bytes the client sent: the request line and the header fields in
 * order. {@code length} is the head's size in bytes, its blank line included: what follows in the buffer is the
 * body or a pipelined request.
 *
 * @param path the request target's path and query, as sent ("/images/a.png?x=1")
 */
public record RequestHead(String method, String path, String version, List<Header> headers, int length) {
    /** One header field: its name as sent and its value without the surrounding blanks. */
    public record Header(String name, String value) {}

    public RequestHead {
        headers = List.copyOf(headers);
    }

    /** The first value of a header, by name in any case, or null. */
    public String header(String name) {
        return Headers.first(headers, name);
    }

    /** The value of a cookie of the Cookie headers, or null. */
    public String cookie(String name) {
        for (Header h : headers) {
            if (!h.name().equalsIgnoreCase("Cookie")) continue;
            for (String pair : h.value().split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equals(name)) return pair.substring(eq + 1).strip();
            }
        }
        return null;
    }

    /** HTTP/1.1 keeps the connection open unless told to close; HTTP/1.0 closes unless told to keep it. */
    public boolean keepAlive() {
        return Headers.persistent(version, headers);
    }
}
