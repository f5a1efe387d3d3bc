package io.jlvs.platform.libc;

import java.io.IOException;

/** An IOException that keeps the errno, so callers can tell EAGAIN, ENOENT or ENOBUFS from real failures. */
public final class ErrnoException extends IOException {
    private final int errno;

    public ErrnoException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
