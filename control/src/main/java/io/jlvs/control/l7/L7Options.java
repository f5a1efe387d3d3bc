package io.jlvs.control.l7;

import io.jlvs.control.model.Addresses;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * What jlvs keeps for a layer-7 service beyond KTCPVS's settings.
 *
 * @param forwardedFor  --xff: add an X-Forwarded-For header with the client's address to each request
 * @param proxyProtocol --proxy-protocol: a PROXY protocol header opens each server connection
 * @param source        --source: the address server connections come from; empty lets the system choose
 * @param splice        --splice: how bytes are moved between client and server once the headers are read
 * @param check         --check and its settings: how the servers' health is checked
 */
public record L7Options(boolean forwardedFor, ProxyProtocol proxyProtocol, OptionalInt source, Splice splice,
                        L7Check check) {
    public static final L7Options DEFAULT = new L7Options(false, ProxyProtocol.NONE, OptionalInt.empty(), Splice.AUTO);

    public L7Options {
        if (proxyProtocol == null || source == null || splice == null || check == null) throw new NullPointerException();
    }

    /** The options with the default check. */
    public L7Options(boolean forwardedFor, ProxyProtocol proxyProtocol, OptionalInt source, Splice splice) {
        this(forwardedFor, proxyProtocol, source, splice, L7Check.DEFAULT);
    }

    public L7Options withCheck(L7Check check) {
        return new L7Options(forwardedFor, proxyProtocol, source, splice, check);
    }

    /** The PROXY protocol version server connections start with. */
    public enum ProxyProtocol {
        NONE, V2;

        /** The option's value as written ("v2"); null for NONE. */
        public String text() { return this == NONE ? null : name().toLowerCase(Locale.ROOT); }

        /** The version of that text ("v2", any case), or null. */
        public static ProxyProtocol byText(String text) {
            return "v2".equalsIgnoreCase(text) ? V2 : null;
        }
    }

    /** How the proxy moves the bytes of a connection. */
    public enum Splice {
        /** The best the host offers (sockmap, else pipe). */
        AUTO,
        /** BPF sockmap redirection inside the kernel. */
        SOCKMAP,
        /** splice(2) through a pipe. */
        PIPE,
        /** Reads and writes through user-space buffers. */
        COPY;

        /** The option's value as written; null for AUTO, which is the absence of the option. */
        public String text() { return this == AUTO ? null : name().toLowerCase(Locale.ROOT); }

        /** The mode of that text (sockmap, pipe, copy; any case), or null. */
        public static Splice byText(String text) {
            for (Splice s : values()) {
                if (s != AUTO && s.name().equalsIgnoreCase(text)) return s;
            }
            return null;
        }
    }

    /** --source as text, or null. */
    public String sourceText() {
        return source.isPresent() ? Addresses.formatV4(source.getAsInt()) : null;
    }
}
