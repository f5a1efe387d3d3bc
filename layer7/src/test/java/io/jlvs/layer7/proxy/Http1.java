package io.jlvs.layer7.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 messages read and written over plain streams, for the tests' clients and servers. */
final class Http1 {
    private Http1() {}

    /** A message: its start line, its header fields (names in lower case) and its body. */
    record Message(String startLine, Map<String, String> headers, byte[] body) {
        String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

        int status() { return Integer.parseInt(startLine.split(" ")[1]); }

        String method() { return startLine.split(" ")[0]; }

        String path() { return startLine.split(" ")[1]; }

        String text() { return new String(body, StandardCharsets.ISO_8859_1); }
    }

    /** The head up to its blank line, or null when the stream ends before its first byte. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c, last4 = 0;
        while ((c = in.read()) >= 0) {
            b.write(c);
            last4 = (last4 << 8) | c;
            if (last4 == 0x0D0A0D0A) return b.toString(StandardCharsets.ISO_8859_1);
        }
        if (b.size() == 0) return null;
        throw new IOException("the stream ended inside a head: " + b.toString(StandardCharsets.ISO_8859_1));
    }

    /** A request, or null at the end of the stream. */
    static Message readRequest(InputStream in) throws IOException {
        String head = readHead(in);
        if (head == null) return null;
        Map<String, String> headers = fields(head);
        return new Message(head.substring(0, head.indexOf("\r\n")), headers, readBody(in, headers, false));
    }

    /** The response to a request of this method (HEAD, 204 and 304 have no body); 1xx answers are skipped. */
    static Message readResponse(InputStream in, String method) throws IOException {
        while (true) {
            String head = readHead(in);
            if (head == null) throw new IOException("the connection closed before a response");
            String line = head.substring(0, head.indexOf("\r\n"));
            int status = Integer.parseInt(line.split(" ")[1]);
            if (status / 100 == 1) continue;
            Map<String, String> headers = fields(head);
            boolean none = method.equals("HEAD") || status == 204 || status == 304;
            return new Message(line, headers, none ? new byte[0] : readBody(in, headers, true));
        }
    }

    private static Map<String, String> fields(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return headers;
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers, boolean response) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) return readChunked(in);
        String length = headers.get("content-length");
        if (length != null) {
            byte[] body = in.readNBytes(Integer.parseInt(length));
            if (body.length < Integer.parseInt(length)) throw new IOException("body cut at " + body.length + " of " + length);
            return body;
        }
        return response ? in.readAllBytes() : new byte[0];
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            if (size == 0) {
                while (!line(in).isEmpty()) { /* trailer fields */ }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            if (!line(in).isEmpty()) throw new IOException("chunk data not followed by CRLF");
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new IOException("the stream ended inside a line");
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** A body in chunks of the given sizes, with a chunk extension and a trailer field. */
    static byte[] chunked(byte[] body, int... sizes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        for (int size : sizes) {
            int n = Math.min(size, body.length - at);
            if (n <= 0) break;
            out.writeBytes((Integer.toHexString(n) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            at += n;
        }
        if (at < body.length) throw new IllegalArgumentException("sizes do not cover the body");
        out.writeBytes("0\r\nX-Trailer: yes\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static void write(OutputStream out, String head, byte[] body) throws IOException {
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }
}
