package io.jlvs.layer7.http;

import java.util.List;
import java.util.Locale;

/** What requests and responses read alike from their header fields. */
final class Headers {
    private Headers() {}

    /** The first value of a header, by name in any case, or null. */
    static String first(List<RequestHead.Header> headers, String name) {
        for (RequestHead.Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
        return null;
    }

    /** HTTP/1.1 keeps the connection open unless told to close; HTTP/1.0 closes unless told to keep it. */
    static boolean persistent(String version, List<RequestHead.Header> headers) {
        String connection = first(headers, "Connection");
        String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        return version.equals("HTTP/1.1") ? !c.contains("close") : c.contains("keep-alive");
    }

    /** A field name's characters (RFC 9110's tchar). */
    static boolean tokenChar(int c) {
        return c > ' ' && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    /** The header fields of a head's lines after its first, into {@code out}; the reason they are malformed, or null. */
    static String parseFields(String[] lines, List<RequestHead.Header> out) {
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) break;
            int colon = line.indexOf(':');
            if (colon <= 0) return "header line without a name";
            String name = line.substring(0, colon);
            if (!name.chars().allMatch(Headers::tokenChar)) return "bad header name";
            out.add(new RequestHead.Header(name, line.substring(colon + 1).strip()));
        }
        return null;
    }
}
