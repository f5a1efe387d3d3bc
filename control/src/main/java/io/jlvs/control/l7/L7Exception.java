package io.jlvs.control.l7;

/**
 * A tcpvsadm command failed: the message is printed on stderr as tcpvsadm prints it, and the process exits with
 * {@link #exitCode()}. The codes are jlvsadm's (AdmException's): 2 for bad syntax or values (tcpvsadm's
 * fail(2, ...)), 255 for a command line without a command and for refused changes, 1 for listing failures and for
 * a config file with errors (tcpvsadm's exit(1) there). The
 * layer-7 package keeps its own exception so that it depends on nothing of the ipvsadm side.
 */
public final class L7Exception extends Exception {
    public static final int SYNTAX = 2;
    public static final int REFUSED = 255;
    public static final int LIST_FAILED = 1;
    public static final int CONFIG_FILE = 1;

    private final int exitCode;

    public L7Exception(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public static L7Exception syntax(String message) { return new L7Exception(message, SYNTAX); }

    public static L7Exception refused(String message) { return new L7Exception(message, REFUSED); }

    public int exitCode() { return exitCode; }
}
