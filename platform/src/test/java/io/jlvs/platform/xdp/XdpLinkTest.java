package io.jlvs.platform.xdp;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfPrograms;
import io.jlvs.platform.bpf.EbpfAssembler;
import io.jlvs.platform.bpf.EbpfLoader;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.net.Links;
import io.jlvs.platform.net.XdpNetlink;
import io.jlvs.platform.packetio.VethNamespaces;
import io.jlvs.platform.testkit.NetNs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.*;

/** Attaching and detaching XDP programs on a veth, jlvs's own and an operator's. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class XdpLinkTest {
    private VethNamespaces net;

    @BeforeAll
    void createNamespaces() throws Exception {
        net = new VethNamespaces("jlvsx");
    }

    @AfterAll
    void removeNamespaces() {
        if (net != null) net.close();
    }

    /** An XDP program that passes every frame, named {@code name}. */
    static int loadPassProgram(String name) throws IOException {
        return EbpfLoader.load(BpfAttr.BPF_PROG_TYPE_XDP, 0,
                new EbpfAssembler().mov64Immediate(EbpfAssembler.R0, BpfAttr.XDP_PASS).exit().build(), name);
    }

    @Test
    void attachesNativelyOnVethAndDetachesItsOwnProgram() throws Exception {
        NetNs.callIn(net.b, () -> {
            int ifIndex = Links.byName(VethNamespaces.B_IF).ifIndex();
            int program = loadPassProgram("jlvs_test");
            try {
                assertEquals(XdpLink.Mode.NATIVE, XdpLink.attach(VethNamespaces.B_IF, ifIndex, program));
                XdpNetlink.Attached attached = XdpLink.query(ifIndex);
                assertEquals(XdpNetlink.ATTACHED_DRIVER, attached.mode());
                assertEquals("jlvs_test", BpfPrograms.nameById(attached.programId()));
                assertTrue(XdpLink.detach(ifIndex, XdpLink.JLVS_PREFIX));
                assertFalse(XdpLink.query(ifIndex).any());
                assertFalse(XdpLink.detach(ifIndex, XdpLink.JLVS_PREFIX), "nothing left to detach");
            } finally {
                Libc.close(program);
            }
            return null;
        });
    }

    @Test
    void refusesAndKeepsAnOperatorsProgram() throws Exception {
        NetNs.callIn(net.a, () -> {
            int ifIndex = Links.byName(VethNamespaces.A_IF).ifIndex();
            int operators = loadPassProgram("operator_pass");
            int ours = loadPassProgram("jlvs_test");
            try {
                XdpNetlink.set(ifIndex, operators, 2 /* XDP_FLAGS_SKB_MODE */, -1);
                int operatorsId = XdpLink.query(ifIndex).programId();
                assertEquals("operator_pass", BpfPrograms.nameById(operatorsId));

                IOException refused = assertThrows(IOException.class,
                        () -> XdpLink.attach(VethNamespaces.A_IF, ifIndex, ours));
                assertTrue(refused.getMessage().contains("va already has an XDP program"), refused.getMessage());
                assertTrue(refused.getMessage().contains("operator_pass"), refused.getMessage());
                assertFalse(XdpLink.detach(ifIndex, XdpLink.JLVS_PREFIX));
                XdpNetlink.Attached after = XdpLink.query(ifIndex);
                assertEquals(XdpNetlink.ATTACHED_GENERIC, after.mode());
                assertEquals(operatorsId, after.programId(), "the operator's program stays");
            } finally {
                XdpNetlink.set(ifIndex, -1, 2, -1);
                Libc.close(operators);
                Libc.close(ours);
            }
            return null;
        });
    }
}
