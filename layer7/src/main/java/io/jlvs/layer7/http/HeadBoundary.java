package io.jlvs.layer7.http;

import io.netty.buffer.ByteBuf;

/** Where a message head ends in the bytes received so far, looked for in place. */
public final class HeadBoundary {
    private HeadBoundary() {}

    /**
     * The length of the head at buf's reader index, up to and including its blank line ("\r\n\r\n" or "\n\n"),
     * looked for in the first {@code limit} readable bytes; -1 when it does not end there.
     */
    public static int end(ByteBuf buf, int limit) {
        int start = buf.readerIndex();
        int n = Math.min(buf.readableBytes(), limit);
        for (int i = 0; i < n; i++) {
            if (buf.getByte(start + i) != '\n') continue;
            if (i + 1 < n && buf.getByte(start + i + 1) == '\n') return i + 2;
            if (i + 2 < n && buf.getByte(start + i + 1) == '\r' && buf.getByte(start + i + 2) == '\n') return i + 3;
        }
        return -1;
    }
}
