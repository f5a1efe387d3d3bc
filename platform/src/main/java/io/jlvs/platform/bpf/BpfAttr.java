package io.jlvs.platform.bpf;

/**
 * The bpf(2) commands, types and {@code union bpf_attr} offsets jlvs uses (linux/bpf.h). Every command's attribute
 * block is passed as the whole union, zeroed, so fields this code does not know stay at their defaults.
 */
public final class BpfAttr {
    private BpfAttr() {}

    /** sizeof(union bpf_attr) as of Linux 6.x; the kernel accepts a larger zero-padded block or a shorter one. */
    public static final int SIZE = 144;

    // enum bpf_cmd
    public static final int BPF_MAP_CREATE = 0, BPF_MAP_LOOKUP_ELEM = 1, BPF_MAP_UPDATE_ELEM = 2, BPF_MAP_DELETE_ELEM = 3,
            BPF_MAP_GET_NEXT_KEY = 4, BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8, BPF_PROG_DETACH = 9,
            BPF_PROG_TEST_RUN = 10, BPF_PROG_GET_FD_BY_ID = 13, BPF_OBJ_GET_INFO_BY_FD = 15;
    // enum bpf_map_type
    public static final int BPF_MAP_TYPE_HASH = 1, BPF_MAP_TYPE_ARRAY = 2, BPF_MAP_TYPE_PERCPU_ARRAY = 6, BPF_MAP_TYPE_XSKMAP = 17,
            BPF_MAP_TYPE_SOCKHASH = 18, BPF_MAP_TYPE_DEVMAP_HASH = 25;
    // enum bpf_prog_type
    public static final int BPF_PROG_TYPE_XDP = 6, BPF_PROG_TYPE_SK_SKB = 14;
    // enum bpf_attach_type
    public static final int BPF_SK_SKB_STREAM_PARSER = 4, BPF_SK_SKB_STREAM_VERDICT = 5, BPF_SK_SKB_VERDICT = 38;
    /** BPF_MAP_CREATE flag: a hash allocates its elements on update instead of all at creation. */
    public static final int BPF_F_NO_PREALLOC = 1;
    // BPF_MAP_UPDATE_ELEM flags
    public static final long BPF_ANY = 0, BPF_NOEXIST = 1;

    // BPF_MAP_CREATE
    public static final long MAP_TYPE = 0, KEY_SIZE = 4, VALUE_SIZE = 8, MAX_ENTRIES = 12, MAP_FLAGS = 16, MAP_NAME = 28;
    // BPF_MAP_*_ELEM and BPF_MAP_GET_NEXT_KEY
    public static final long MAP_FD = 0, KEY = 8, VALUE = 16, NEXT_KEY = 16, ELEM_FLAGS = 24;
    // BPF_PROG_LOAD
    public static final long PROG_TYPE = 0, INSN_CNT = 4, INSNS = 8, LICENSE = 16, LOG_LEVEL = 24, LOG_SIZE = 28,
            LOG_BUF = 32, PROG_NAME = 48, EXPECTED_ATTACH_TYPE = 68;
    // BPF_PROG_TEST_RUN (the test member of the union)
    public static final long TEST_PROG_FD = 0, TEST_RETVAL = 4, TEST_DATA_SIZE_IN = 8, TEST_DATA_SIZE_OUT = 12,
            TEST_DATA_IN = 16, TEST_DATA_OUT = 24, TEST_REPEAT = 32;
    // BPF_PROG_GET_FD_BY_ID
    public static final long PROG_ID = 0;
    // BPF_OBJ_GET_INFO_BY_FD
    public static final long INFO_BPF_FD = 0, INFO_LEN = 4, INFO = 8;
    /** struct bpf_prog_info: its size up to and including name, and the offsets of id and name. */
    public static final int PROG_INFO_SIZE = 80, PROG_INFO_ID = 4, PROG_INFO_NAME = 64;
    // BPF_PROG_ATTACH / BPF_PROG_DETACH
    public static final long TARGET_FD = 0, ATTACH_BPF_FD = 4, ATTACH_TYPE = 8;
    /** BPF_OBJ_NAME_LEN: names hold 15 characters and a NUL. */
    public static final int OBJ_NAME_LENGTH = 16;

    // enum bpf_func_id
    public static final int BPF_FUNC_MAP_LOOKUP_ELEM = 1, BPF_FUNC_KTIME_GET_NS = 5, BPF_FUNC_CSUM_DIFF = 28,
            BPF_FUNC_XDP_ADJUST_HEAD = 44, BPF_FUNC_GET_SOCKET_COOKIE = 46, BPF_FUNC_REDIRECT_MAP = 51,
            BPF_FUNC_XDP_ADJUST_TAIL = 65, BPF_FUNC_SK_REDIRECT_HASH = 72;
    // enum xdp_action
    public static final int XDP_ABORTED = 0, XDP_DROP = 1, XDP_PASS = 2, XDP_TX = 3, XDP_REDIRECT = 4;
    /** struct xdp_md: the offsets of data, data_end, ingress_ifindex and rx_queue_index. */
    public static final int XDP_MD_DATA = 0, XDP_MD_DATA_END = 4, XDP_MD_INGRESS_IFINDEX = 12, XDP_MD_RX_QUEUE_INDEX = 16;
    // enum sk_action
    public static final int SK_DROP = 0, SK_PASS = 1;
    /** struct __sk_buff: the offset of len. */
    public static final int SKB_LEN = 0;
}
