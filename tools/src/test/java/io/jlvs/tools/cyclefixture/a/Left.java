package io.jlvs.tools.cyclefixture.a;

import io.jlvs.tools.cyclefixture.b.Right;

/** Half of a deliberate package cycle that ArchitectureTest must detect. */
public final class Left {
    public Right right;
}
