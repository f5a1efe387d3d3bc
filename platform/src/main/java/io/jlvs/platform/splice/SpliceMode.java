package io.jlvs.platform.splice;

import java.util.Locale;

/** How a splicer moves a pair's data: the value of {@code --splice}. */
public enum SpliceMode {
    /** The kernel redirects each received chunk to the peer socket (sk_skb programs on a sockhash); nothing is read. */
    SOCKMAP,
    /** splice(2) from each socket into a pipe and from the pipe into the peer: page references move, bytes do not. */
    PIPE,
    /** read(2) into a reusable native buffer and send(2) from it: the fallback that works everywhere. */
    COPY;

    /** The mode named by {@code --splice}: sockmap, pipe or copy. */
    public static SpliceMode parse(String value) {
        for (SpliceMode mode : values()) {
            if (mode.optionValue().equals(value.trim().toLowerCase(Locale.ROOT))) return mode;
        }
        throw new IllegalArgumentException("unknown splice mode '" + value + "' (sockmap, pipe or copy)");
    }

    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode to try when the kernel refuses this one; null for COPY, which needs nothing special. */
    public SpliceMode fallback() {
        return switch (this) {
            case SOCKMAP -> PIPE;
            case PIPE -> COPY;
            case COPY -> null;
        };
    }
}
