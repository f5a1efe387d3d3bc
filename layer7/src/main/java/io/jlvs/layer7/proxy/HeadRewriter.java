package io.jlvs.layer7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the proxy sends the server before the client's bytes: a PROXY protocol v2 header (HAProxy's
 * send-proxy-v2) when asked, then the head as received with X-Forwarded-For added after the request line when
 * asked (a second X-Forwarded-For field reads, per RFC 9110, as the list continued).
 */
final class HeadRewriter {
    private static final byte[] PROXY_V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private HeadRewriter() {}

    /** The bytes for the server: [PROXY v2] + head [+ X-Forwarded-For] + the rest of what the client sent. */
    static byte[] forServer(byte[] received, int length, int headLength, ProxyOptions options,
                            InetSocketAddress client, InetSocketAddress local) {
        byte[] proxy = options.proxyProtocol() ? proxyV2(client, local) : new byte[0];
        byte[] xff = new byte[0];
        int requestLineEnd = 0;
        if (options.forwardedFor() && headLength > 0) {
            while (requestLineEnd < headLength && received[requestLineEnd] != '\n') requestLineEnd++;
            requestLineEnd++;
            xff = forwardedFor(client);
        }
        byte[] out = new byte[proxy.length + length + xff.length];
        System.arraycopy(proxy, 0, out, 0, proxy.length);
        System.arraycopy(received, 0, out, proxy.length, requestLineEnd);
        System.arraycopy(xff, 0, out, proxy.length + requestLineEnd, xff.length);
        System.arraycopy(received, requestLineEnd, out, proxy.length + requestLineEnd + xff.length, length - requestLineEnd);
        return out;
    }

    /**
     * A request head at buf's reader index, taken from it as slices of the bytes received (the reader index moves past
     * it), with X-Forwarded-For added after the request line when asked.
     */
    static ByteBuf forServer(ByteBuf buf, int headLength, boolean forwardedFor, InetSocketAddress client) {
        if (!forwardedFor) return buf.readRetainedSlice(headLength);
        int lineEnd = buf.indexOf(buf.readerIndex(), buf.readerIndex() + headLength, (byte) '\n') + 1 - buf.readerIndex();
        ByteBuf line = buf.readRetainedSlice(lineEnd);
        ByteBuf rest = buf.readRetainedSlice(headLength - lineEnd);
        return Unpooled.wrappedBuffer(line, Unpooled.wrappedBuffer(forwardedFor(client)), rest);
    }

    private static byte[] forwardedFor(InetSocketAddress client) {
        return ("X-Forwarded-For: " + client.getAddress().getHostAddress() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** PROXY v2, command PROXY, STREAM over INET or INET6: the client's and the listener's addresses and ports. */
    static byte[] proxyV2(InetSocketAddress client, InetSocketAddress local) {
        boolean v4 = client.getAddress() instanceof Inet4Address && local.getAddress() instanceof Inet4Address;
        byte[] src = v4 ? client.getAddress().getAddress() : v6(client);
        byte[] dst = v4 ? local.getAddress().getAddress() : v6(local);
        int addressLength = 2 * src.length + 4;
        ByteBuffer b = ByteBuffer.allocate(16 + addressLength);
        b.put(PROXY_V2_SIGNATURE).put((byte) 0x21).put((byte) (v4 ? 0x11 : 0x21)).putShort((short) addressLength);
        b.put(src).put(dst).putShort((short) client.getPort()).putShort((short) local.getPort());
        return b.array();
    }

    /** An address as 16 bytes: IPv6 as is, IPv4 mapped (::ffff:a.b.c.d) when the other end is IPv6. */
    private static byte[] v6(InetSocketAddress a) {
        byte[] raw = a.getAddress().getAddress();
        if (raw.length == 16) return raw;
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }
}
