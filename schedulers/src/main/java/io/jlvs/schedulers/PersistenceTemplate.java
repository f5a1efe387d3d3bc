package io.jlvs.schedulers;

/** One persistence template: the masked client (and virtual port) stuck to a server until it expires. */
public final class PersistenceTemplate {
    private final TemplateKey key;
    private final Destination server;
    volatile long expiresAtNanos;

    PersistenceTemplate(TemplateKey key, Destination server, long expiresAtNanos) {
        this.key = key;
        this.server = server;
        this.expiresAtNanos = expiresAtNanos;
    }

    TemplateKey key() { return key; }

    public Destination server() { return server; }
    public long clientHi() { return key.hi; }
    public long clientLo() { return key.lo; }
    public int virtualPort() { return key.port; }
    public long expiresAtNanos() { return expiresAtNanos; }
    /** The persistence engine's data (the SIP Call-ID), or "" for a template keyed by the client alone. */
    public String peData() { return key.peText(); }
}
