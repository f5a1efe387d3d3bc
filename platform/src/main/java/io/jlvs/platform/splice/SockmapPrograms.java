package io.jlvs.platform.splice;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.EbpfAssembler;
import io.jlvs.platform.bpf.EbpfInstructions;

import static io.jlvs.platform.bpf.EbpfAssembler.R0;
import static io.jlvs.platform.bpf.EbpfAssembler.R1;
import static io.jlvs.platform.bpf.EbpfAssembler.R10;
import static io.jlvs.platform.bpf.EbpfAssembler.R2;
import static io.jlvs.platform.bpf.EbpfAssembler.R3;
import static io.jlvs.platform.bpf.EbpfAssembler.R4;
import static io.jlvs.platform.bpf.EbpfAssembler.R6;

/**
 * The two sk_skb programs of the sockmap splice, assembled here.
 *
 * <p>The verdict runs on every chunk a spliced socket receives (skb->sk is that socket) and sends it out of the
 * peer socket:
 * <pre>
 *   r6 = r1                               keep the skb (calls clobber r1-r5)
 *   r0 = skb->len
 *   if r0 != 0 goto +1
 *   exit                                  SK_DROP (0) for an empty skb
 *   r0 = bpf_get_socket_cookie(skb)       this socket's cookie
 *   *(u64 *)(r10 - 8) = r0                the key, on the stack
 *   r0 = bpf_sk_redirect_hash(skb, &amp;targets, r10 - 8, 0)
 *   exit                                  SK_PASS if the peer was found (flags 0: out of its egress), else SK_DROP
 * </pre>
 * Without a stream parser (BPF_SK_SKB_VERDICT) the verdict also sees the skb that carries the FIN, often with no
 * data; redirected, the kernel's worker would send 0 bytes, take it for a broken pipe and set EPIPE on the peer.
 * Dropping it loses nothing: the FIN is seen by the splice loop (EPOLLRDHUP) and passed on after the data.
 * The targets map holds each spliced socket under its peer's cookie, so looking up the receiving socket's own
 * cookie finds the socket to send through. The stream parser, used where the verdict is attached behind the kernel's
 * strparser, takes each chunk whole: it returns skb->len.
 */
final class SockmapPrograms {
    private SockmapPrograms() {}

    private static final int KEY_SLOT = -8;

    static EbpfInstructions verdict(int targetsMapFd) {
        return new EbpfAssembler()
                .mov64(R6, R1)
                .loadWord(R0, R1, BpfAttr.SKB_LEN)
                .jumpIfNotEqual(R0, 0, 1)
                .exit()
                .call(BpfAttr.BPF_FUNC_GET_SOCKET_COOKIE)
                .storeDoubleWord(R10, KEY_SLOT, R0)
                .mov64(R1, R6)
                .loadMapFd(R2, targetsMapFd)
                .mov64(R3, R10)
                .add64Immediate(R3, KEY_SLOT)
                .mov64Immediate(R4, 0)
                .call(BpfAttr.BPF_FUNC_SK_REDIRECT_HASH)
                .exit()
                .build();
    }

    static EbpfInstructions parser() {
        return new EbpfAssembler()
                .loadWord(R0, R1, BpfAttr.SKB_LEN)
                .exit()
                .build();
    }
}
