package io.jlvs.control.protocol;

import java.io.IOException;

/** Where the replies of a request go: the control socket in the daemon, a formatter in jlvsadm and in tests. */
@FunctionalInterface
public interface ReplySink {
    void send(ControlReply reply) throws IOException;
}
