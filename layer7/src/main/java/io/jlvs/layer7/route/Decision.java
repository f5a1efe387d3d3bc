package io.jlvs.layer7.route;

/**
 * Where a request goes: a server, or the status the proxy answers itself (503: no rule matches or every server
 * of the matching rule is down). {@code pin} asks for chttp's cookie on the response.
 */
public record Decision(Backend server, int status, String reason, boolean pin) {
    static Decision to(Backend server, boolean pin) {
        return new Decision(server, 0, null, pin);
    }

    static Decision refuse(String reason) {
        return new Decision(null, 503, reason, false);
    }
}
