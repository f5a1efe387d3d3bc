package io.jlvs.health.engine;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.RealServerConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** A real server's address and port, as IpvsConfig keys them (IPv4 mapped into 128 bits). */
record Endpoint(long hi, long lo, int port) {
    static Endpoint of(RealServerConfig rs) {
        return new Endpoint(rs.addrHi(), rs.addrLo(), rs.port());
    }

    boolean isV4() { return Addresses.isV4(hi, lo); }

    /** The address alone as written in logs and maintenance file names: 10.0.0.2, or 2001:db8::2. */
    String address() { return Addresses.format(hi, lo); }

    /** 10.0.0.2:80, or [2001:db8::2]:80. */
    @Override
    public String toString() {
        return (isV4() ? address() : "[" + address() + "]") + ":" + port;
    }

    InetSocketAddress socketAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Addresses.toBytes(hi, lo)), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an address: " + this, e);
        }
    }
}
