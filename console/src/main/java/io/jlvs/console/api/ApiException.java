package io.jlvs.console.api;

/**
 * A request the API answers with an error status and {"error": message}, plus the jlvsadm command when a change
 * was refused (null otherwise).
 */
public final class ApiException extends Exception {
    private final int status;
    private final String command;

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    public ApiException(int status, String message, String command) {
        super(message, null, false, false);
        this.status = status;
        this.command = command;
    }

    public int status() { return status; }

    public String command() { return command; }

    public static ApiException badRequest(String message) { return new ApiException(400, message); }

    public static ApiException notFound(String message) { return new ApiException(404, message); }
}
