package io.jlvs.platform.splice;

/** How the sockmap splice's verdict program is hooked to a socket's receive path. */
public enum SockmapAttachment {
    /**
     * BPF_SK_SKB_VERDICT (Linux 5.13 and later): the verdict runs on each skb as the socket's data-ready callback
     * reads its receive queue, without a stream parser. The kernel (tcp_read_skb, 6.x) takes each skb whole: a
     * retransmitted segment that overlaps bytes already received is queued whole, and its overlap is sent twice.
     * {@link SockmapMover} sees the excess in the byte counts and resets the pair.
     */
    VERDICT_ONLY,
    /**
     * BPF_SK_SKB_STREAM_PARSER with BPF_SK_SKB_STREAM_VERDICT: the kernel's strparser frames chunks first. It reads
     * from the socket's read position, but the parser answers skb->len, which counts the overlap of such a
     * retransmitted segment too: the chunk then waits for that many bytes more, and at a pause or the end of the
     * stream the last of them are held back.
     */
    PARSER_AND_VERDICT
}
