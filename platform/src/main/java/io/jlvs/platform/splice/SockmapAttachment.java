package io.jlvs.platform.splice;

/** How the sockmap splice's verdict program is hooked to a socket's receive path. */
public enum SockmapAttachment {
    /**
     * BPF_SK_SKB_VERDICT (Linux 5.13 and later): the verdict runs on each skb as the socket's data-ready callback
     * reads its receive queue, without a stream parser.
     */
    VERDICT_ONLY,
    /** BPF_SK_SKB_STREAM_PARSER with BPF_SK_SKB_STREAM_VERDICT: the kernel's strparser frames chunks first. */
    PARSER_AND_VERDICT
}
