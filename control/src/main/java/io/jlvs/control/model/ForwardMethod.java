package io.jlvs.control.model;

/** How packets reach a real server (IP_VS_CONN_F_FWD_MASK values), with ipvsadm's names for them. */
public enum ForwardMethod {
    MASQ("Masq", "-m"),
    LOCAL("Local", "-g"),
    TUNNEL("Tunnel", "-i"),
    ROUTE("Route", "-g"),
    /**
     * jlvs extension (DPVS's FULLNAT): source and destination both rewritten, the source taken from the service's
     * local address pool, so the real server answers the director without routing through it.
     */
    FULLNAT("FullNat", "--fullnat");

    private final String listName;
    private final String saveSwitch;

    ForwardMethod(String listName, String saveSwitch) {
        this.listName = listName;
        this.saveSwitch = saveSwitch;
    }

    /** The Forward column of ipvsadm -L. */
    public String listName() { return listName; }

    /** The option ipvsadm -S writes (Local saves as -g, as ipvsadm does). */
    public String saveSwitch() { return saveSwitch; }
}
