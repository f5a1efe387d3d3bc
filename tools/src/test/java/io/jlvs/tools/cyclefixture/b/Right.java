package io.jlvs.tools.cyclefixture.b;

import io.jlvs.tools.cyclefixture.a.Left;

/** The other half of the deliberate package cycle. */
public final class Right {
    public Left left;
}
