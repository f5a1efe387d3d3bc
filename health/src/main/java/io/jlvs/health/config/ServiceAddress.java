package io.jlvs.health.config;

/**
 * What a virtual_server (or a member of a virtual_server_group) names: an address and port, or a firewall mark
 * (address null, port 0).
 */
record ServiceAddress(IpAddress address, int port, int fwmark) {
    boolean isFwmark() { return address == null; }

    /** Reads "IP [PORT]" or "fwmark N" from words (the statement's keyword and arguments as one list). */
    static ServiceAddress parse(java.util.List<String> words) throws ValueException {
        if (words.isEmpty()) throw new ValueException("missing address");
        if (words.getFirst().equals("fwmark")) {
            if (words.size() < 2) throw new ValueException("missing fwmark value");
            if (words.size() > 2) throw new ValueException("unexpected '" + words.get(2) + "'");
            return new ServiceAddress(null, 0, Values.fwmark(words.get(1)));
        }
        if (words.size() > 2) throw new ValueException("unexpected '" + words.get(2) + "'");
        IpAddress address = IpAddress.parse(words.getFirst());
        return new ServiceAddress(address, words.size() == 2 ? Values.port(words.get(1)) : 0, 0);
    }

    @Override
    public String toString() { return isFwmark() ? "fwmark " + Integer.toUnsignedString(fwmark) : address + " " + port; }
}
