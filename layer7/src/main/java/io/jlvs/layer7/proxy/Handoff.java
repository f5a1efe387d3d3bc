package io.jlvs.layer7.proxy;

import io.jlvs.layer7.route.Backend;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.StreamSockets;
import io.jlvs.platform.splice.SplicedPair;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the proxy's part: both sockets leave Netty's event loop and go to the splicer, which moves their data
 * from then on. Each socket is duplicated first, so that closing its Netty channel (which takes it out of epoll)
 * leaves the connection open, unread bytes and all, for the splicer.
 */
final class Handoff {
    private static final Logger LOG = LoggerFactory.getLogger(Handoff.class);

    private Handoff() {}

    /**
     * @param serverNeverRead nothing was read from the server's socket (it was only written to), so its direction
     *                        can go to the kernel at once
     */
    static void splice(ServiceListener service, Channel client, Channel server, Backend backend, boolean serverNeverRead) {
        int clientFd = -1, serverFd = -1;
        try {
            clientFd = StreamSockets.duplicate(((EpollSocketChannel) client).fd().intValue());
            serverFd = StreamSockets.duplicate(((EpollSocketChannel) server).fd().intValue());
        } catch (Exception e) {
            if (clientFd >= 0) Libc.close(clientFd);
            LOG.warn("layer-7 service {}: cannot hand a connection to the splicer: {}", service.ident(), e.getMessage());
            client.close();
            server.close();
            backend.closed();
            return;
        }
        client.close();
        server.close();
        try {
            service.counters().spliced.incrementAndGet();
            SplicedPair pair = service.splicer().splice(clientFd, serverFd, serverNeverRead);
            ProxyCounters counters = service.counters();
            counters.splicedNow.incrementAndGet();
            pair.end().whenComplete((end, failure) -> {
                counters.splicedNow.decrementAndGet();
                backend.closed();
            });
        } catch (Exception e) {
            service.counters().spliced.decrementAndGet();
            Libc.close(clientFd);
            Libc.close(serverFd);
            backend.closed();
            LOG.warn("layer-7 service {}: the splicer refused a connection: {}", service.ident(), e.getMessage());
        }
    }
}
