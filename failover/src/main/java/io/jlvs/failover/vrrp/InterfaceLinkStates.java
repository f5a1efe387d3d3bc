package io.jlvs.failover.vrrp;

import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Link state read with SIOCGIFFLAGS, which {@link NetworkInterface#isUp} issues: up means IFF_UP and IFF_RUNNING
 * (administratively up and with a carrier), the kernel's operstate test. The ioctl's socket is made in the calling
 * thread's network namespace, so it sees the engine's interfaces even on a thread moved into another namespace with
 * setns, where /sys/class/net would still show the namespace sysfs was mounted from. The engine polls it every
 * 100 ms: a tracked link's change takes effect within that, well inside one advert interval.
 */
final class InterfaceLinkStates implements LinkStates {
    @Override
    public boolean up(String interfaceName) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(interfaceName);
            return nic != null && nic.isUp();
        } catch (SocketException e) {
            return false;
        }
    }
}
