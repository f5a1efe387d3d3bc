package io.jlvs.forwarder;

import io.jlvs.forwarder.fastpath.FastPathMaps;
import io.jlvs.packets.Tcp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.RS2_MAC;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.v4;
import static io.jlvs.forwarder.SynProxyPipelineTest.ACK;
import static io.jlvs.forwarder.SynProxyPipelineTest.SYN;
import static io.jlvs.forwarder.SynProxyPipelineTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client reusing its port toward a --synproxy service while its previous connection's entry is closing: the Java
 * path expires that entry at the SYN (conn_reuse_mode), but when the XDP program answers the SYN, the first segment
 * jlvs sees is the ACK returning the cookie, which must then do it. Without the XDP answers, such an ACK stays the
 * old connection's.
 */
class XdpSynProxyPortReuseTest {
    private static final int CPORT = 43210, OLD_ISN = 1_000_000, NEW_ISN = 7_000_000;
    private final SynProxyPipelineTest proxy = new SynProxyPipelineTest();
    private final PipelineTest h = proxy.h;
    private FastPathMaps maps;

    @BeforeEach
    void setUp() {
        proxy.setUp();
    }

    @AfterEach
    void tearDown() {
        if (maps != null) maps.close();
        proxy.tearDown();
    }

    @Test
    void theAckReturningTheKernelsCookieReplacesAClosedConnection() throws Exception {
        maps = FastPathMaps.create(h.plane.connections().capacity());
        h.plane.enableFastPath(maps);
        closedProxiedConnection();

        h.receive(h.clientSide, ackWithKernelCookie(), 0);

        SynProxyPipelineTest.Segment serverSyn = SynProxyPipelineTest.only(h.serverSide);
        assertEquals(SYN, serverSyn.flow().tcpFlags);
        assertEquals(NEW_ISN, serverSyn.seq(), "the server's SYN carries the new connection's ISN");
        assertEquals(1, h.plane.connections().size(), "the closed entry replaced");
    }

    @Test
    void withoutTheXdpAnswersTheAckStaysTheOldConnections() {
        closedProxiedConnection();

        h.receive(h.clientSide, ackWithKernelCookie(), 0);

        assertTrue(h.serverSide.sent.stream().noneMatch(f -> (PipelineTest.parseValid(f).tcpFlags & SYN) != 0),
                "no new handshake with the server");
    }

    /** A proxied connection through the Java path, reset by the client: IPVS state CLOSE, its entry kept. */
    private void closedProxiedConnection() {
        h.receive(h.clientSide, proxy.fromClient(CPORT, OLD_ISN, 0, SYN, options(1460, true, true, 1000, 0, 7), 0), 0);
        SynProxyPipelineTest.Segment synAck = SynProxyPipelineTest.only(h.clientSide);
        h.receive(h.clientSide, proxy.fromClient(CPORT, OLD_ISN + 1, synAck.seq() + 1, ACK,
                options(-1, false, true, 1001, synAck.options().tsVal, -1), 0), 0);
        SynProxyPipelineTest.Segment serverSyn = SynProxyPipelineTest.only(h.serverSide);
        String rs = serverSyn.flow().dstV4() == v4(RS1) ? RS1 : PipelineTest.RS2;
        long rsMac = rs.equals(RS1) ? RS1_MAC : RS2_MAC;
        h.receive(h.serverSide, proxy.fromServer(rs, rsMac, 5_000_000, OLD_ISN + 1, SYN | ACK, 29200,
                options(1460, true, true, 90_000, 1001, 2), 0), 0);
        SynProxyPipelineTest.only(h.serverSide);
        h.receive(h.clientSide, proxy.fromClient(CPORT, OLD_ISN + 1, synAck.seq() + 1, Tcp.RST | ACK, new byte[0], 0), 0);
        h.serverSide.sent.clear();
        h.clientSide.sent.clear();
        assertEquals(1, h.plane.connections().size());
        assertTrue(h.adm("-L", "-n", "-c").contains("CLOSE"), h.adm("-L", "-n", "-c"));
    }

    /** The client's ACK to the SYN-ACK the XDP program sent for its new SYN: the cookie SynCookies makes. */
    private byte[] ackWithKernelCookie() {
        int cookie = h.plane.synCookies().make(v4(CLIENT), v4(VIP), CPORT, 80, NEW_ISN, SynCookies.mssIndex(1460),
                SynCookies.minute(System.currentTimeMillis()));
        return proxy.fromClient(CPORT, NEW_ISN + 1, cookie + 1, ACK, options(-1, false, false, 0, 0, -1), 0);
    }
}
