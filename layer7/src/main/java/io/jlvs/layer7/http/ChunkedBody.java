package io.jlvs.layer7.http;

import io.netty.buffer.ByteBuf;

/**
 * Follows a chunked body (RFC 9112, section 7.1) as its bytes pass, without holding them: chunk-size lines
 * (extensions allowed), the chunks' data, the last chunk and the trailer section. It only tells how many of the
 * bytes offered belong to the body, so they can be passed on as they came.
 */
public final class ChunkedBody {
    /** The longest chunk-size or trailer line accepted. */
    static final int LINE_LIMIT = 8 * 1024;

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER, END_LF, DONE }

    private State state = State.SIZE;
    private long remaining;
    private int digits;
    private int line;

    /** Whether the body's last byte has been seen. */
    public boolean done() { return state == State.DONE; }

    /**
     * How many of buf's readable bytes (from its reader index, which does not move) belong to the body: all of them,
     * or fewer when the body ends within them.
     *
     * @throws IllegalArgumentException when the bytes are not a chunked body, with the reason
     */
    public int scan(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        int i = start;
        while (i < end && state != State.DONE) {
            if (state == State.DATA) {
                int n = (int) Math.min(remaining, end - i);
                remaining -= n;
                i += n;
                if (remaining == 0) state = State.DATA_CR;
                continue;
            }
            step(buf.getByte(i++));
        }
        return i - start;
    }

    private void step(byte b) {
        switch (state) {
            case SIZE -> {
                int v = Character.digit(b, 16);
                if (v >= 0) {
                    if (++digits > 15) throw new IllegalArgumentException("chunk size too large");
                    remaining = remaining * 16 + v;
                } else if (digits == 0) {
                    throw new IllegalArgumentException("chunk size missing");
                } else if (b == ';' || b == ' ' || b == '\t') {
                    state = State.EXTENSION;
                } else if (b == '\r') {
                    state = State.SIZE_LF;
                } else if (b == '\n') {
                    sizeLineEnded();
                } else {
                    throw new IllegalArgumentException("bad chunk size");
                }
            }
            case EXTENSION -> {
                if (b == '\n') sizeLineEnded();
                else if (++line > LINE_LIMIT) throw new IllegalArgumentException("chunk extension too long");
            }
            case SIZE_LF -> {
                if (b != '\n') throw new IllegalArgumentException("chunk size line not ended by CRLF");
                sizeLineEnded();
            }
            case DATA_CR -> {
                if (b == '\r') state = State.DATA_LF;
                else if (b == '\n') state = State.SIZE;
                else throw new IllegalArgumentException("chunk data not followed by CRLF");
            }
            case DATA_LF -> {
                if (b != '\n') throw new IllegalArgumentException("chunk data not followed by CRLF");
                state = State.SIZE;
            }
            case TRAILER_START -> {
                if (b == '\r') state = State.END_LF;
                else if (b == '\n') state = State.DONE;
                else {
                    line = 1;
                    state = State.TRAILER;
                }
            }
            case TRAILER -> {
                if (b == '\n') state = State.TRAILER_START;
                else if (++line > LINE_LIMIT) throw new IllegalArgumentException("trailer line too long");
            }
            case END_LF -> {
                if (b != '\n') throw new IllegalArgumentException("trailer section not ended by CRLF");
                state = State.DONE;
            }
            case DATA, DONE -> throw new IllegalStateException(state.name());
        }
    }

    private void sizeLineEnded() {
        state = remaining == 0 ? State.TRAILER_START : State.DATA;
        digits = 0;
        line = 0;
    }
}
