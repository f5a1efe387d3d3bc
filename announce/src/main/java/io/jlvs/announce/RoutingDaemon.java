package io.jlvs.announce;

import java.io.IOException;
import java.util.List;

/** The routing daemon that announces the VIPs: told to re-read its configuration, asked for its BGP sessions. */
public interface RoutingDaemon {
    /** Its name in `jlvs status` ("bird"). */
    String name();

    /** Re-reads its configuration (with jlvs's include); a refusal or no answer is an IOException with its words. */
    void reconfigure() throws IOException;

    /** Its BGP sessions, one line each as it reports them. */
    List<String> sessions() throws IOException;
}
