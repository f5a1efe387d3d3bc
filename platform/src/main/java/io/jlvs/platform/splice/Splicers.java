package io.jlvs.platform.splice;

import io.jlvs.platform.libc.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Opens splicers. {@link #open} falls back when the kernel refuses a mode (sockmap → pipe → copy) and logs why;
 * {@link #openExactly} does not.
 */
public final class Splicers {
    private static final Logger LOG = LoggerFactory.getLogger(Splicers.class);

    private Splicers() {}

    /** One mode's opening, for {@link #open(SpliceMode, SpliceOptions, Opener)}. */
    @FunctionalInterface
    interface Opener {
        Splicer open(SpliceMode mode, SpliceOptions options) throws IOException;
    }

    /**
     * A splicer of {@code preferred} mode if the kernel allows it, else of the first fallback it allows. Each
     * refusal is logged at WARN with the kernel's reason (for SOCKMAP, the verifier's log when it refused the
     * programs).
     *
     * @throws IOException when even COPY cannot be opened (no epoll or eventfd: out of descriptors)
     */
    public static Splicer open(SpliceMode preferred, SpliceOptions options) throws IOException {
        return open(preferred, options, Splicers::openExactly);
    }

    static Splicer open(SpliceMode preferred, SpliceOptions options, Opener opener) throws IOException {
        for (SpliceMode mode = preferred; ; mode = mode.fallback()) {
            try {
                Splicer splicer = opener.open(mode, options);
                if (mode != preferred) LOG.warn("--splice {}: using {} instead", preferred.optionValue(), mode.optionValue());
                return splicer;
            } catch (IOException | UnsupportedOperationException refused) {
                SpliceMode next = mode.fallback();
                if (next == null) throw refused instanceof IOException io ? io : new IOException(refused);
                LOG.warn("--splice {}: the kernel refused it, falling back to {}: {}", mode.optionValue(),
                        next.optionValue(), describe(mode, refused));
            }
        }
    }

    private static String describe(SpliceMode mode, Exception refused) {
        if (mode == SpliceMode.SOCKMAP && refused instanceof ErrnoException e && (e.errno() == 1 || e.errno() == 13)) {
            return refused.getMessage() + " (EPERM/EACCES: loading sk_skb programs and sockhashes needs CAP_BPF and "
                    + "CAP_NET_ADMIN)";
        }
        return refused.getMessage();
    }

    /** A splicer of exactly {@code mode}; the kernel's refusal is the exception. */
    public static Splicer openExactly(SpliceMode mode, SpliceOptions options) throws IOException {
        return switch (mode) {
            case SOCKMAP -> openSockmap(options);
            case PIPE -> {
                PipeMover.probe(options.pipeCapacity());
                yield new LoopSplicer(mode, new PipeMover(options.pipeCapacity()), options.capacity());
            }
            case COPY -> new LoopSplicer(mode, new CopyMover(options.chunkSize()), options.capacity());
        };
    }

    private static Splicer openSockmap(SpliceOptions options) throws IOException {
        SockmapDatapath datapath;
        try {
            datapath = SockmapDatapath.open(options.capacity(), options.attachment());
        } catch (ErrnoException e) {
            if (options.attachment() != SockmapAttachment.VERDICT_ONLY || e.errno() != 22) throw e;
            // EINVAL for BPF_SK_SKB_VERDICT: a kernel before 5.13; the stream parser and verdict work from 4.14
            LOG.info("sockmap: BPF_SK_SKB_VERDICT refused ({}); attaching a stream parser and verdict", e.getMessage());
            datapath = SockmapDatapath.open(options.capacity(), SockmapAttachment.PARSER_AND_VERDICT);
        }
        try {
            return new LoopSplicer(SpliceMode.SOCKMAP, new SockmapMover(datapath, options.chunkSize()), options.capacity());
        } catch (IOException | RuntimeException e) {
            datapath.close();
            throw e;
        }
    }
}
