package io.jlvs.netns;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfPrograms;
import io.jlvs.platform.bpf.EbpfAssembler;
import io.jlvs.platform.bpf.EbpfLoader;
import io.jlvs.platform.libc.ErrnoException;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.net.Links;
import io.jlvs.platform.net.XdpNetlink;
import io.jlvs.platform.testkit.NetNs;
import io.jlvs.platform.xdp.XdpLink;
import io.jlvs.platform.xdp.XskRedirectProgram;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What --io afxdp leaves on the director's interfaces: a daemon killed with SIGKILL leaves its XDP program attached
 * and the next start removes it; an operator's own XDP program is refused with a clear message and left in place.
 */
class AfXdpHostStateTest {
    private static final Duration START = Duration.ofSeconds(120);
    private static final int XDP_FLAGS_SKB_MODE = 2;

    @Test
    void aKilledDaemonsXdpProgramIsRemovedByTheNextStart() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsx-k9", 1)) {
            String iface = topology.directorClientSide();
            JlvsDirector first = JlvsDirector.start(topology, "nat", "afxdp", START);
            JlvsDirector director = first;
            try {
                XdpNetlink.Attached before = attached(topology, iface);
                assertTrue(before.any(), "the daemon attached its program to " + iface);
                assertEquals(XskRedirectProgram.NAME, BpfPrograms.nameById(before.programId()));

                director.kill();
                assertEquals(before, attached(topology, iface), "SIGKILL leaves the program attached");

                director = first.startAgain(2, START);
                assertTrue(director.daemon().logText().contains("undid host changes left by a crashed run"),
                        director.daemon().logTail(20));
                XdpNetlink.Attached after = attached(topology, iface);
                assertTrue(after.any(), "the new daemon attached its own program");
                assertNotEquals(before.programId(), after.programId(), "a new program, not the crashed run's");
                ErrnoException gone = assertThrows(ErrnoException.class, () -> BpfPrograms.nameById(before.programId()));
                assertEquals(Libc.ENOENT, gone.errno(), "the crashed run's program was detached and freed");
            } finally {
                director.close();
            }
            for (String side : new String[] {topology.directorClientSide(), topology.directorServerSide()}) {
                assertFalse(attached(topology, side).any(), "a stopped daemon leaves no XDP program on " + side);
            }
        }
    }

    @Test
    void anOperatorsXdpProgramIsRefusedAndLeftInPlace() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsx-op", 1)) {
            String iface = topology.directorClientSide();
            int ifIndex = NetNs.callIn(topology.directorNamespace(), () -> Links.byName(iface).ifIndex());
            int operators = EbpfLoader.load(BpfAttr.BPF_PROG_TYPE_XDP, 0,
                    new EbpfAssembler().mov64Immediate(EbpfAssembler.R0, BpfAttr.XDP_PASS).exit().build(), "operator_pass");
            try {
                NetNs.callIn(topology.directorNamespace(), () -> {
                    XdpNetlink.set(ifIndex, operators, XDP_FLAGS_SKB_MODE, -1);
                    return null;
                });
                XdpNetlink.Attached operatorsProgram = attached(topology, iface);
                assertEquals("operator_pass", BpfPrograms.nameById(operatorsProgram.programId()));

                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> JlvsDirector.start(topology, "nat", "afxdp", START).close());
                assertTrue(refused.getMessage().contains(iface + " already has an XDP program"), refused.getMessage());
                assertTrue(refused.getMessage().contains("operator_pass"), refused.getMessage());
                assertEquals(operatorsProgram, attached(topology, iface), "the operator's program stays");
                assertFalse(attached(topology, topology.directorServerSide()).any(), "nothing left on the other side");
            } finally {
                NetNs.callIn(topology.directorNamespace(), () -> {
                    XdpNetlink.set(ifIndex, -1, XDP_FLAGS_SKB_MODE, -1);
                    return null;
                });
                Libc.close(operators);
            }
        }
    }

    private static XdpNetlink.Attached attached(LvsTopology topology, String iface) throws Exception {
        return NetNs.callIn(topology.directorNamespace(), () -> XdpLink.query(Links.byName(iface).ifIndex()));
    }
}
