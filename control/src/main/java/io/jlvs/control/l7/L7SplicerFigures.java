package io.jlvs.control.l7;

/**
 * The splicer that carries one service's connections: the mode in force (after any fallback: "sockmap", "pipe",
 * "copy"; "" when the service does not run), the pairs it carries now (for every service that shares it), and for
 * sockmap the entries in its sockhashes (two per spliced pair).
 */
public record L7SplicerFigures(String mode, long pairs, long sockhashEntries) {
    public static final L7SplicerFigures NONE = new L7SplicerFigures("", 0, 0);

    public L7SplicerFigures {
        if (mode == null) throw new IllegalArgumentException("mode null");
    }
}
