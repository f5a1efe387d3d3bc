package io.jlvs.netns;

import java.util.List;

/** jlvsadm restore lines of one round-robin NAT service and its masqueraded servers, either family. */
final class MasqueradedService {
    private MasqueradedService() {}

    /**
     * "-A PROTOCOL VIP:PORT -s rr OPTIONS" and one "-a ... -m" line per server; IPv6 addresses are bracketed.
     *
     * @param protocol "-t" or "-u"
     * @param options  appended to the service line as given (empty, or starting with a space)
     */
    static String rules(String protocol, int vipPort, int serverPort, String vip, List<String> servers, String options) {
        String endpoint = ClientRequests.host(vip) + ":" + vipPort;
        StringBuilder rules = new StringBuilder("-A " + protocol + " " + endpoint + " -s rr" + options + "\n");
        for (String server : servers) {
            rules.append("-a ").append(protocol).append(' ').append(endpoint).append(" -r ")
                    .append(ClientRequests.host(server)).append(':').append(serverPort).append(" -m\n");
        }
        return rules.toString();
    }
}
