package io.jlvs.failover.sync;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One connection on the sync wire, mutable and reused so that neither side allocates per entry. Addresses are
 * 128-bit (hi, lo) with IPv4 IPv4-mapped (hi 0, lo 0x0000FFFF_xxxxxxxx), as in the connection table. Flags are the
 * kernel's IP_VS_CONN_F_* bits and the state its IP_VS_TCP_S_* number, which are the connection table's own
 * ({@code connections.TcpState} numbers its states as the kernel does). The sequence data and the persistence
 * engine's name and data are the version 1 options; they live in arrays allocated once with the entry.
 */
public final class SyncEntry {
    /** IP_VS_CONN_F_*: the forwarding method (low 3 bits) and the bits a backup keeps (IP_VS_CONN_F_BACKUP_MASK). */
    public static final int F_FWD_MASK = 0x0007, F_MASQ = 0, F_LOCALNODE = 1, F_TUNNEL = 2, F_DROUTE = 3,
            F_BYPASS = 4;
    public static final int F_SYNC = 0x0020, F_HASHED = 0x0040, F_NOOUTPUT = 0x0080, F_INACTIVE = 0x0100;
    public static final int F_OUT_SEQ = 0x0200, F_IN_SEQ = 0x0400, F_SEQ_MASK = 0x0600, F_NO_CPORT = 0x0800;
    public static final int F_TEMPLATE = 0x1000, F_ONE_PACKET = 0x2000;
    /** IP_VS_PENAME_MAXLEN and IP_VS_PEDATA_MAXLEN. */
    public static final int PE_NAME_MAX = 16, PE_DATA_MAX = 255;
    /** Sequence data: init_seq, delta, previous_delta of the inbound then the outbound direction. */
    public static final int SEQ_WORDS = 6;

    public int protocol;
    public boolean ipv6;
    /** IP_VS_CONN_F_* flags as on the wire. */
    public int flags;
    /** IP_VS_TCP_S_* for TCP, IP_VS_SCTP_S_* for SCTP, IP_VS_CTPL_S_* for a template, 0 for UDP. */
    public int state;
    public long clientHi, clientLo, virtualHi, virtualLo, destHi, destLo;
    public int clientPort, virtualPort, destPort;
    public int fwmark;
    /** Seconds the entry lives from when it is received; 0 (version 0 carries none): the state's default. */
    public int timeoutSeconds;
    /**
     * in_seq then out_seq (init_seq, delta, previous_delta each), meaningful when {@link #flags} has a
     * {@link #F_SEQ_MASK} bit: the kernel writes the SEQ_DATA option exactly then.
     */
    public final int[] seq = new int[SEQ_WORDS];
    /** The persistence engine's name (ASCII, e.g. "sip"), its first {@link #peNameLength} bytes. */
    public final byte[] peName = new byte[PE_NAME_MAX];
    public int peNameLength;
    /** The persistence engine's data (for sip, the Call-ID), its first {@link #peDataLength} bytes. */
    public final byte[] peData = new byte[PE_DATA_MAX];
    public int peDataLength;
    /** jlvs's SYN proxy option: the connection's splice, when the master's SYN proxy opened it. */
    public final SyncSplice splice = new SyncSplice();
    /** jlvs's FullNAT option: the connection's local address and port, when it is a FullNAT one. */
    public final SyncFullNat fullNat = new SyncFullNat();

    public int method() { return flags & F_FWD_MASK; }

    public boolean template() { return (flags & F_TEMPLATE) != 0; }

    public boolean hasSeq() { return (flags & F_SEQ_MASK) != 0; }



    /** Sets the persistence engine's name from ASCII text of at most {@link #PE_NAME_MAX} characters. */
    public SyncEntry peName(CharSequence name) {
        if (name.length() > PE_NAME_MAX) throw new IllegalArgumentException("persistence engine name " + name);
        for (int i = 0; i < name.length(); i++) peName[i] = (byte) name.charAt(i);
        peNameLength = name.length();
        return this;
    }

    /** Sets the persistence engine's data from bytes of at most {@link #PE_DATA_MAX}. */
    public SyncEntry peData(byte[] data) {
        if (data.length > PE_DATA_MAX) throw new IllegalArgumentException("persistence engine data of " + data.length);
        System.arraycopy(data, 0, peData, 0, data.length);
        peDataLength = data.length;
        return this;
    }

    /** Forgets the options (sequence data, persistence engine, splice, FullNAT), so a reused entry carries only what is set next. */
    public void clearOptions() {
        Arrays.fill(seq, 0);
        peNameLength = 0;
        peDataLength = 0;
        splice.clear();
        fullNat.clear();
    }

    /** Copies every field of {@code from}. */
    public SyncEntry copyFrom(SyncEntry from) {
        protocol = from.protocol;
        ipv6 = from.ipv6;
        flags = from.flags;
        state = from.state;
        clientHi = from.clientHi; clientLo = from.clientLo; clientPort = from.clientPort;
        virtualHi = from.virtualHi; virtualLo = from.virtualLo; virtualPort = from.virtualPort;
        destHi = from.destHi; destLo = from.destLo; destPort = from.destPort;
        fwmark = from.fwmark;
        timeoutSeconds = from.timeoutSeconds;
        System.arraycopy(from.seq, 0, seq, 0, SEQ_WORDS);
        System.arraycopy(from.peName, 0, peName, 0, from.peNameLength);
        peNameLength = from.peNameLength;
        System.arraycopy(from.peData, 0, peData, 0, from.peDataLength);
        peDataLength = from.peDataLength;
        splice.copyFrom(from.splice);
        fullNat.copyFrom(from.fullNat);
        return this;
    }

    /** Every field, options included (when present), for tests and logs. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append("proto ").append(protocol).append(ipv6 ? " v6" : "")
                .append(" flags 0x").append(Integer.toHexString(flags)).append(" state ").append(state)
                .append(" c ").append(Long.toHexString(clientHi)).append('/').append(Long.toHexString(clientLo))
                .append(':').append(clientPort)
                .append(" v ").append(Long.toHexString(virtualHi)).append('/').append(Long.toHexString(virtualLo))
                .append(':').append(virtualPort)
                .append(" d ").append(Long.toHexString(destHi)).append('/').append(Long.toHexString(destLo))
                .append(':').append(destPort).append(" fwmark ").append(fwmark).append(" timeout ")
                .append(timeoutSeconds);
        if (hasSeq()) s.append(" seq ").append(Arrays.toString(seq));
        if (peNameLength > 0) s.append(" pe ").append(new String(peName, 0, peNameLength,
                StandardCharsets.US_ASCII));
        if (peDataLength > 0) s.append(" pe-data ").append(HexFormat.of().formatHex(peData, 0, peDataLength));
        if (splice.present()) s.append(' ').append(splice);
        if (fullNat.present()) s.append(' ').append(fullNat);
        return s.toString();
    }
}
