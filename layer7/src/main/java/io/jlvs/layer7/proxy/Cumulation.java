package io.jlvs.layer7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/** Bytes read and not yet handled, kept as the buffers they came in (a composite when more than one). */
final class Cumulation {
    private Cumulation() {}

    /** pending followed by in (both taken over); pending may be null. */
    static ByteBuf append(ByteBufAllocator alloc, ByteBuf pending, ByteBuf in) {
        if (pending == null || !pending.isReadable()) {
            if (pending != null) pending.release();
            return in;
        }
        if (pending instanceof CompositeByteBuf c) {
            c.discardReadComponents();
            return c.addComponent(true, in);
        }
        return alloc.compositeBuffer().addComponents(true, pending, in);
    }

    /** The buffer if it still holds bytes, else null (released). */
    static ByteBuf readable(ByteBuf buf) {
        if (buf == null || buf.isReadable()) return buf;
        buf.release();
        return null;
    }
}
