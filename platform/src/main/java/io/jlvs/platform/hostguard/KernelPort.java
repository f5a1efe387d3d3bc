package io.jlvs.platform.hostguard;

/**
 * A TCP port on a VIP that the director's kernel terminates (a layer-7 service's listener) while the VIP's other
 * ports go through jlvs's data plane: IPv4 address (network-order int value) and port.
 */
public record KernelPort(int addrV4, int port) {
    public KernelPort {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " out of range");
    }
}
