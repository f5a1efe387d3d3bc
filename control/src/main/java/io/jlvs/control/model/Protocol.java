package io.jlvs.control.model;

/** Transport protocol of a virtual service, with the names ipvsadm prints and parses for it. */
public enum Protocol {
    TCP(6, "TCP", "-t", "tcp"),
    UDP(17, "UDP", "-u", "udp"),
    SCTP(132, "SCTP", "--sctp-service", "sctp");

    private final int number;
    private final String listName;
    private final String saveSwitch;
    private final String servicesName;

    Protocol(int number, String listName, String saveSwitch, String servicesName) {
        this.number = number;
        this.listName = listName;
        this.saveSwitch = saveSwitch;
        this.servicesName = servicesName;
    }

    /** IP protocol number (IPPROTO_*); ipvsadm sorts services by it. */
    public int number() { return number; }

    /** Name in listings: TCP, UDP, SCTP. */
    public String listName() { return listName; }

    /** Option that selects it in ipvsadm rules: -t, -u, --sctp-service. */
    public String saveSwitch() { return saveSwitch; }

    /** Protocol column of /etc/services. */
    public String servicesName() { return servicesName; }
}
