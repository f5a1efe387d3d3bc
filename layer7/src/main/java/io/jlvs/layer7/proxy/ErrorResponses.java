package io.jlvs.layer7.proxy;

import java.nio.charset.StandardCharsets;

/** The answers the proxy gives itself, each closing the connection. */
final class ErrorResponses {
    private ErrorResponses() {}

    static byte[] of(int status, String reason) {
        String text = switch (status) {
            case 400 -> "Bad Request";
            case 431 -> "Request Header Fields Too Large";
            case 502 -> "Bad Gateway";
            case 504 -> "Gateway Timeout";
            default -> "Service Unavailable";
        };
        String body = status + " " + text + ": " + reason + "\n";
        return ("HTTP/1.1 " + status + " " + text + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }
}
