package io.jlvs.layer7.route;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One real server of a layer-7 service, with what its scheduling reads: the weight, whether the health checks
 * let it serve, and the connections open to it now. {@code cookie} is the value chttp pins clients with.
 */
public final class Backend {
    private final InetSocketAddress address;
    private final String endpoint;
    private final String cookie;
    private volatile int weight;
    private volatile boolean up = true;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong connections = new AtomicLong();

    public Backend(InetSocketAddress address, int weight) {
        this.address = address;
        this.endpoint = address.getAddress().getHostAddress() + ":" + address.getPort();
        this.cookie = Integer.toHexString(endpoint.hashCode() & 0x7fffffff);
        this.weight = weight;
    }

    public InetSocketAddress address() { return address; }

    /** ADDRESS:PORT as tcpvsadm prints it. */
    public String endpoint() { return endpoint; }

    public String cookie() { return cookie; }

    public int weight() { return weight; }

    public void weight(int w) { weight = w; }

    public boolean up() { return up; }

    public void up(boolean value) { up = value; }

    /** Can take a new connection: up and of a weight above 0. */
    public boolean available() { return up && weight > 0; }

    public int active() { return active.get(); }

    /** Connections placed on this server since it was added. */
    public long connections() { return connections.get(); }

    public void opened() {
        active.incrementAndGet();
        connections.incrementAndGet();
    }

    public void closed() { active.decrementAndGet(); }
}
