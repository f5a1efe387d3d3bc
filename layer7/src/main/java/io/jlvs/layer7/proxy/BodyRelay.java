package io.jlvs.layer7.proxy;

import io.jlvs.layer7.http.ChunkedBody;
import io.jlvs.layer7.http.MessageFraming;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.epoll.AbstractEpollStreamChannel;

import java.util.function.Consumer;

/**
 * Moves one message body from the channel it is read on (the source) to the other (the target), as its framing
 * delimits it. The buffers read pass on as slices, never copied; when what remains of a Content-Length body is at
 * least {@link #SPLICE_THRESHOLD} and nothing after it has been read yet, the rest goes by Netty's
 * {@code spliceTo}: splice(2) from the source socket through a pipe into the target socket, without reaching Java.
 * A target that cannot take more stops the source's reads until it can.
 */
final class BodyRelay {
    /** The smallest remainder of a Content-Length body that is spliced rather than read. */
    static final long SPLICE_THRESHOLD = 128 * 1024;
    /** spliceTo takes an int, Integer.MAX_VALUE meaning "for ever": longer bodies are queued in pieces. */
    private static final int SPLICE_PIECE = 1 << 30;

    private final Channel source;
    private final Channel target;
    private final MessageFraming.Kind kind;
    private final ProxyCounters counters;
    private final Runnable splicedToEnd;
    private final Consumer<Throwable> spliceFailed;
    private final ChunkedBody chunked;
    private long remaining;
    private boolean done;
    private boolean splicing;
    private boolean paused;

    /**
     * @param splicedToEnd run when a spliced body has all gone to the target (a body passed as buffers is done when
     *                     {@link #offer} returns with {@link #done()} true)
     * @param spliceFailed run when the splice fails (either socket closed or broke)
     */
    BodyRelay(Channel source, Channel target, MessageFraming framing, ProxyCounters counters, Runnable splicedToEnd,
              Consumer<Throwable> spliceFailed) {
        this.source = source;
        this.target = target;
        this.kind = framing.kind();
        this.counters = counters;
        this.splicedToEnd = splicedToEnd;
        this.spliceFailed = spliceFailed;
        this.chunked = kind == MessageFraming.Kind.CHUNKED ? new ChunkedBody() : null;
        this.remaining = framing.length();
        this.done = kind == MessageFraming.Kind.NONE;
    }

    boolean done() { return done; }

    /** Whether the body ends only when the source closes. */
    boolean untilClose() { return kind == MessageFraming.Kind.UNTIL_CLOSE; }

    /**
     * Passes on the body's part of bytes read from the source (buf is taken over); returns the bytes after the body,
     * the caller's to keep, or null. Every byte read while the body is spliced follows the body.
     *
     * @throws IllegalArgumentException when a chunked body is malformed
     */
    ByteBuf offer(ByteBuf buf) {
        if (done || splicing) return buf;
        int n;
        try {
            n = switch (kind) {
                case LENGTH -> (int) Math.min(remaining, buf.readableBytes());
                case CHUNKED -> chunked.scan(buf);
                case UNTIL_CLOSE -> buf.readableBytes();
                case NONE -> 0;
            };
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        if (n > 0) target.writeAndFlush(buf.readRetainedSlice(n));
        if (kind == MessageFraming.Kind.LENGTH) {
            remaining -= n;
            done = remaining == 0;
        } else if (kind == MessageFraming.Kind.CHUNKED) {
            done = chunked.done();
        }
        ByteBuf rest = buf;
        if (!buf.isReadable()) {
            buf.release();
            rest = null;
        }
        if (!done && rest == null && kind == MessageFraming.Kind.LENGTH && remaining >= SPLICE_THRESHOLD
                && source instanceof AbstractEpollStreamChannel && target instanceof AbstractEpollStreamChannel) {
            splice();
        } else if (!done && !target.isWritable()) {
            paused = true;
            source.config().setAutoRead(false);
        }
        return rest;
    }

    /** Lets the source be read for the body (unless the target is full or the body is all there). */
    void begin() {
        if (!done && !paused) source.config().setAutoRead(true);
    }

    /** The target can take more: the source's reads resume. */
    void targetWritable() {
        if (paused && target.isWritable()) {
            paused = false;
            if (!done && !splicing) source.config().setAutoRead(true);
        }
    }

    /**
     * The rest of the body by splice(2): every piece is queued at once, so no read of the source comes between two
     * pieces; the source reads on (Netty pauses it while the target is full), and what it reads after the last piece
     * follows the body.
     */
    private void splice() {
        splicing = true;
        counters.splicedBodies.incrementAndGet();
        AbstractEpollStreamChannel from = (AbstractEpollStreamChannel) source;
        AbstractEpollStreamChannel to = (AbstractEpollStreamChannel) target;
        ChannelFutureListener failure = f -> {
            if (!f.isSuccess() && !done) {
                done = true;
                spliceFailed.accept(f.cause());
            }
        };
        ChannelFuture last = null;
        for (long left = remaining; left > 0; ) {
            int piece = (int) Math.min(left, SPLICE_PIECE);
            last = from.spliceTo(to, piece).addListener(failure);
            left -= piece;
        }
        remaining = 0;
        last.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && !done) {
                done = true;
                splicedToEnd.run();
            }
        });
        source.config().setAutoRead(true);
    }
}
