package io.jlvs.platform.xdp;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.EbpfLoader;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.net.Netlink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * jlvs's XDP side of one interface: the XSKMAP its AF_XDP sockets register in, and the redirect program attached
 * to the interface. Changing the filter loads a new program and swaps it in atomically (XDP_FLAGS_REPLACE), so the
 * interface is never without one. Closing detaches the program. Both go through a netlink socket opened at
 * attach time, so they act in the interface's network namespace whichever thread calls.
 *
 * <p>The sockets of several workers (one per receive queue) share one attachment: {@link #acquire} and
 * {@link #release} count them, and the last release detaches. Acquire from a thread in the interface's namespace.
 */
public final class XskAttachment implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(XskAttachment.class);
    /** Attachments in use, by network namespace and interface index; guarded by the class. */
    private static final Map<String, XskAttachment> IN_USE = new HashMap<>();

    private final String ifName;
    private final int ifIndex;
    private final Netlink netlink;
    private final XskMap map;
    private final XdpLink.Mode mode;
    private int programFd;
    private long[] filter;
    private boolean closed;
    private String key;
    private int users;

    private XskAttachment(Netlink netlink, String ifName, int ifIndex, XskMap map, XdpLink.Mode mode, int programFd,
                          long[] filter) {
        this.netlink = netlink;
        this.ifName = ifName;
        this.ifIndex = ifIndex;
        this.map = map;
        this.mode = mode;
        this.programFd = programFd;
        this.filter = filter;
    }

    /**
     * Loads the redirect program for {@code classicFilter} and attaches it to {@code ifName}, with a map for
     * {@code queues} receive queues. Refused, leaving nothing behind, when the interface has an XDP program.
     */
    public static XskAttachment attach(String ifName, int ifIndex, int queues, long[] classicFilter) throws IOException {
        Netlink netlink = Netlink.open();
        XskMap map = null;
        int program = -1;
        try {
            map = XskMap.create(XdpLink.JLVS_PREFIX + "xsks", queues);
            program = load(classicFilter, map);
            XdpLink.Mode mode = XdpLink.attach(netlink, ifName, ifIndex, program);
            LOG.info("XDP redirect program attached to {} ({} mode)", ifName, mode == XdpLink.Mode.NATIVE ? "native" : "generic");
            return new XskAttachment(netlink, ifName, ifIndex, map, mode, program, classicFilter.clone());
        } catch (IOException | RuntimeException e) {
            Libc.close(program);
            if (map != null) map.close();
            netlink.close();
            throw e;
        }
    }

    /**
     * The attachment of {@code ifName} in the calling thread's namespace, made by the first user with
     * {@code classicFilter} and a map for {@code queues} queues; {@link #release} once per acquire.
     */
    public static XskAttachment acquire(String ifName, int ifIndex, int queues, long[] classicFilter) throws IOException {
        String key = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")) + "/" + ifIndex;
        synchronized (XskAttachment.class) {
            XskAttachment attachment = IN_USE.get(key);
            if (attachment == null) {
                attachment = attach(ifName, ifIndex, queues, classicFilter);
                attachment.key = key;
                IN_USE.put(key, attachment);
            }
            attachment.users++;
            return attachment;
        }
    }

    /** One user less; the last detaches the program. */
    public void release() {
        synchronized (XskAttachment.class) {
            if (--users > 0) return;
            IN_USE.remove(key);
        }
        close();
    }

    private static int load(long[] classicFilter, XskMap map) throws IOException {
        return EbpfLoader.load(BpfAttr.BPF_PROG_TYPE_XDP, 0, XskRedirectProgram.of(classicFilter, map.fd()),
                XskRedirectProgram.NAME);
    }

    public XdpLink.Mode mode() {
        return mode;
    }

    /** Registers {@code socketFd} as queue {@code queue}'s receiver. */
    public void register(int queue, int socketFd) throws IOException {
        map.put(queue, socketFd);
    }

    /** Replaces the program by one for {@code classicFilter}; nothing happens when the filter is the same. */
    public synchronized void setFilter(long[] classicFilter) throws IOException {
        if (closed || Arrays.equals(classicFilter, filter)) return;
        int next = load(classicFilter, map);
        try {
            XdpLink.replace(netlink, ifIndex, mode, next, programFd);
        } catch (IOException | RuntimeException e) {
            Libc.close(next);
            throw e;
        }
        Libc.close(programFd);
        programFd = next;
        filter = classicFilter.clone();
    }

    /** Detaches the program (only if it is still jlvs's) and frees the map. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            XdpLink.detach(netlink, ifIndex, XdpLink.JLVS_PREFIX);
        } catch (IOException e) {
            LOG.warn("detaching the XDP program from {} failed (the next start retries): {}", ifName, e.getMessage());
        }
        Libc.close(programFd);
        map.close();
        netlink.close();
    }
}
