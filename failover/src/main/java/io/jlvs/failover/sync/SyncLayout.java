package io.jlvs.failover.sync;

/**
 * The kernel's IPVS sync messages (net/netfilter/ipvs/ip_vs_sync.c), big-endian, as offsets and sizes.
 * <pre>
 * version 1 message (struct ip_vs_sync_mesg), then nr_conns entries, each starting at a multiple of 4:
 *  0               1               2               3
 * +---------------+---------------+-------------------------------+
 * | reserved = 0  |    syncid     |  size (the whole message)     |
 * +---------------+---------------+-------------------------------+
 * |   nr_conns    |  version = 1  |          spare = 0            |
 * +---------------+---------------+-------------------------------+
 * entry (struct ip_vs_sync_v4, or ip_vs_sync_v6 with 16-byte addresses):
 * | type (bit 0 IPv6) | protocol  | ver (4) = 0 | size (12, with options, without padding) |
 * | flags (32, IP_VS_CONN_F_*)                                                               |
 * | state (16)                    | cport (16)                                               |
 * | vport (16)                    | dport (16)                                               |
 * | fwmark (32)                                                                              |
 * | timeout (32, seconds)                                                                    |
 * | caddr | vaddr | daddr (4 or 16 bytes each)                                               |
 * | options: type (8), length (8, not 0), data; the kernel writes SEQ_DATA, PE_DATA, PE_NAME in that order, |
 * |          jlvs adds its optional SYN proxy option (OPT_JLVS_SPLICE) and FullNAT option                   |
 * |          (OPT_JLVS_FULLNAT) after them                                                                  |
 *
 * version 0 message (struct ip_vs_sync_mesg_v0): nr_conns (8) | syncid (8) | size (16), then entries
 * (struct ip_vs_sync_conn_v0, IPv4 only, 24 bytes): reserved (8) | protocol (8) | cport | vport | dport (16 each) |
 * caddr | vaddr | daddr (32 each) | flags (16) | state (16), followed by the 24 bytes of struct
 * ip_vs_sync_conn_options (in_seq, out_seq: init_seq, delta, previous_delta each) when flags has a SEQ bit.
 * </pre>
 * A kernel reads a message as version 1 when version is 1 and reserved and spare are 0, else as version 0.
 */
public final class SyncLayout {
    public static final int HEADER_BYTES = 8, V0_HEADER_BYTES = 4;
    public static final int OFF_RESERVED = 0, OFF_SYNCID = 1, OFF_SIZE = 2, OFF_NR_CONNS = 4, OFF_VERSION = 5,
            OFF_SPARE = 6;
    public static final int V0_OFF_NR_CONNS = 0, V0_OFF_SYNCID = 1, V0_OFF_SIZE = 2;
    public static final int VERSION_1 = 1;
    /** Entry type bit: IPv6 (STYPE_F_INET6). */
    public static final int TYPE_INET6 = 1;
    public static final int V4_ENTRY_BYTES = 36, V6_ENTRY_BYTES = 72;
    public static final int E_TYPE = 0, E_PROTOCOL = 1, E_VER_SIZE = 2, E_FLAGS = 4, E_STATE = 8, E_CPORT = 10,
            E_VPORT = 12, E_DPORT = 14, E_FWMARK = 16, E_TIMEOUT = 20, E_ADDRESSES = 24;
    /** ver_size: the entry's version in the top 4 bits (SVER_SHIFT), its size in the low 12 (SVER_MASK). */
    public static final int SVER_SHIFT = 12, SVER_MASK = 0x0FFF;
    public static final int V0_ENTRY_BYTES = 24, SEQ_OPTION_BYTES = 24;
    public static final int V0_E_PROTOCOL = 1, V0_E_CPORT = 2, V0_E_VPORT = 4, V0_E_DPORT = 6, V0_E_CADDR = 8,
            V0_E_VADDR = 12, V0_E_DADDR = 16, V0_E_FLAGS = 20, V0_E_STATE = 22;
    /** Option types; a type with {@link #OPT_F_PARAM} set is optional, any other unknown type is mandatory. */
    public static final int OPT_SEQ_DATA = 1, OPT_PE_DATA = 2, OPT_PE_NAME = 3, OPT_F_PARAM = 1 << (7 - 1);
    /**
     * jlvs's SYN proxy option ({@link SyncSplice}): optional, and of a number the kernel's switch on
     * {@code type & ~IPVS_OPT_F_PARAM} knows not, so a kernel backup skips it; written last, after PE_NAME.
     */
    public static final int OPT_JLVS_SPLICE = OPT_F_PARAM | 0x20, SPLICE_OPTION_BYTES = 32;
    /**
     * jlvs's FullNAT option ({@link SyncFullNat}): optional as the splice option, written after it; its length
     * follows the entry's family (an IPv4 or an IPv6 local address).
     */
    public static final int OPT_JLVS_FULLNAT = OPT_F_PARAM | 0x21, FULLNAT_OPTION_BYTES = 12,
            FULLNAT6_OPTION_BYTES = 24;

    /** The FullNAT option's length for an entry of this family. */
    public static int fullNatOptionBytes(boolean ipv6) { return ipv6 ? FULLNAT6_OPTION_BYTES : FULLNAT_OPTION_BYTES; }
    /** Largest nr_conns a header holds. */
    public static final int MAX_ENTRIES = 255;
    /** States per protocol (IP_VS_TCP_S_LAST, IP_VS_UDP_S_LAST, IP_VS_SCTP_S_LAST) and for templates. */
    public static final int TCP_STATES = 11, UDP_STATES = 1, SCTP_STATES = 13, TEMPLATE_STATES = 2;
    public static final int PROTO_TCP = 6, PROTO_UDP = 17, PROTO_SCTP = 132;
    /** ipvsadm's defaults: group 224.0.0.81 (IP_VS_SYNC_GROUP), port 8848 (IP_VS_SYNC_PORT), TTL 1. */
    public static final String DEFAULT_GROUP = "224.0.0.81";
    public static final int DEFAULT_PORT = 8848, DEFAULT_TTL = 1;

    private SyncLayout() {}

    /** The number of states the kernel accepts for an entry, 0 for a protocol it does not sync. */
    public static int states(int protocol, boolean template) {
        if (template) return TEMPLATE_STATES;
        return switch (protocol) {
            case PROTO_TCP -> TCP_STATES;
            case PROTO_UDP -> UDP_STATES;
            case PROTO_SCTP -> SCTP_STATES;
            default -> 0;
        };
    }

    /** The bytes a version 1 entry takes, options included, padding not. */
    public static int v1EntryBytes(SyncEntry e) {
        int len = e.ipv6 ? V6_ENTRY_BYTES : V4_ENTRY_BYTES;
        if (e.hasSeq()) len += 2 + SEQ_OPTION_BYTES;
        if (e.peDataLength > 0) len += 2 + e.peDataLength;
        if (e.peNameLength > 0) len += 2 + e.peNameLength;
        if (e.splice.present()) len += 2 + SPLICE_OPTION_BYTES;
        if (e.fullNat.present()) len += 2 + fullNatOptionBytes(e.ipv6);
        return len;
    }
}
