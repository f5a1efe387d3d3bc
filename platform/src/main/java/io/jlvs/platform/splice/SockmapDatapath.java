package io.jlvs.platform.splice;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.EbpfLoader;

import java.io.IOException;

/**
 * The kernel objects of one sockmap splicer: two sockhashes and the sk_skb programs attached to one of them.
 *
 * <ul>
 * <li>{@code targets} (no programs): each spliced socket under its peer's cookie. The verdict program redirects to
 *     what it finds here under the receiving socket's own cookie. Entering this map gives a socket a psock, which a
 *     redirect target needs, without touching its receive path.</li>
 * <li>{@code receivers} (programs attached): each spliced socket under its own cookie. Entering this map switches
 *     the socket's receive path to the programs.</li>
 * </ul>
 * A pair enters {@code targets} first, both sockets, and {@code receivers} second: from the moment either socket's
 * data goes to the verdict, its peer is already a target, so no chunk meets a missing entry and is dropped.
 */
final class SockmapDatapath implements AutoCloseable {
    final SockHash targets;
    final SockHash receivers;
    final SockmapAttachment attachment;
    private final int verdictFd;
    private final int parserFd;

    private SockmapDatapath(SockHash targets, SockHash receivers, SockmapAttachment attachment, int verdictFd,
                            int parserFd) {
        this.targets = targets;
        this.receivers = receivers;
        this.attachment = attachment;
        this.verdictFd = verdictFd;
        this.parserFd = parserFd;
    }

    /** Creates the maps for {@code pairs} pairs, loads the programs and attaches them. */
    static SockmapDatapath open(int pairs, SockmapAttachment attachment) throws IOException {
        SockHash targets = null, receivers = null;
        int verdictFd = -1, parserFd = -1;
        try {
            targets = SockHash.create("jlvs_splice_tgt", 2 * pairs);
            receivers = SockHash.create("jlvs_splice_rcv", 2 * pairs);
            if (attachment == SockmapAttachment.VERDICT_ONLY) {
                verdictFd = EbpfLoader.load(BpfAttr.BPF_PROG_TYPE_SK_SKB, BpfAttr.BPF_SK_SKB_VERDICT,
                        SockmapPrograms.verdict(targets.fd()), "jlvs_splice_vrd");
                EbpfLoader.attach(receivers.fd(), verdictFd, BpfAttr.BPF_SK_SKB_VERDICT, "sk_skb verdict");
            } else {
                parserFd = EbpfLoader.load(BpfAttr.BPF_PROG_TYPE_SK_SKB, BpfAttr.BPF_SK_SKB_STREAM_PARSER,
                        SockmapPrograms.parser(), "jlvs_splice_prs");
                verdictFd = EbpfLoader.load(BpfAttr.BPF_PROG_TYPE_SK_SKB, BpfAttr.BPF_SK_SKB_STREAM_VERDICT,
                        SockmapPrograms.verdict(targets.fd()), "jlvs_splice_vrd");
                EbpfLoader.attach(receivers.fd(), parserFd, BpfAttr.BPF_SK_SKB_STREAM_PARSER, "sk_skb stream parser");
                EbpfLoader.attach(receivers.fd(), verdictFd, BpfAttr.BPF_SK_SKB_STREAM_VERDICT, "sk_skb stream verdict");
            }
            return new SockmapDatapath(targets, receivers, attachment, verdictFd, parserFd);
        } catch (IOException | RuntimeException e) {
            EbpfLoader.close(verdictFd);
            EbpfLoader.close(parserFd);
            if (receivers != null) receivers.close();
            if (targets != null) targets.close();
            throw e;
        }
    }

    /** Entries in both maps: 0 once every pair has left. */
    int entries() {
        return targets.count() + receivers.count();
    }

    @Override
    public void close() {
        // the maps hold their own references to the attached programs; closing the maps releases those
        receivers.close();
        targets.close();
        EbpfLoader.close(verdictFd);
        EbpfLoader.close(parserFd);
    }
}
