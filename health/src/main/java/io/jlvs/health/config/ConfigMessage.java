package io.jlvs.health.config;

/** An error or warning about a configuration file, printed as FILE:LINE: message. */
public record ConfigMessage(Source source, String message) {
    @Override
    public String toString() { return source + ": " + message; }
}
