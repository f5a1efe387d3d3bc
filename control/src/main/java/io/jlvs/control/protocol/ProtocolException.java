package io.jlvs.control.protocol;

import java.io.IOException;

/** A control connection carried something that is not a well-formed message of this protocol version. */
public final class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
