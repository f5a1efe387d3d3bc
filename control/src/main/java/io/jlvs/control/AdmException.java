package io.jlvs.control;

/**
 * A command failed. The message is printed to stderr as ipvsadm prints it (a newline is added by the printer),
 * and the process exits with {@link #exitCode()}: 2 for bad syntax or values (ipvsadm's fail(2, ...)), 255 for
 * option-parser errors and refused changes (ipvsadm returns -1), 1 for listing failures.
 */
public final class AdmException extends Exception {
    /** ipvsadm's fail(2, ...): a bad option value or combination. */
    public static final int SYNTAX = 2;
    /** ipvsadm returning -1: the kernel (here the runtime) refused the change, or popt rejected the command line. */
    public static final int REFUSED = 255;
    /** ipvsadm's exit(1) on listing errors. */
    public static final int LIST_FAILED = 1;

    private final int exitCode;

    public AdmException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public static AdmException syntax(String message) { return new AdmException(message, SYNTAX); }

    public static AdmException refused(String message) { return new AdmException(message, REFUSED); }

    public int exitCode() { return exitCode; }
}
