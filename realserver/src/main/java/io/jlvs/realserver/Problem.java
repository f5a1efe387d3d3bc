package io.jlvs.realserver;

/** One thing `jlvs realserver --check` found wrong, and the command that fixes it. */
public record Problem(String what, String fix) {
    @Override
    public String toString() {
        return "PROBLEM: " + what + "\n  fix: " + fix;
    }
}
