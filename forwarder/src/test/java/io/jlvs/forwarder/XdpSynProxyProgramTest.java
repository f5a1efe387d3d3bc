package io.jlvs.forwarder;

import io.jlvs.forwarder.fastpath.FastPathMaps;
import io.jlvs.forwarder.fastpath.SynProxyMaps;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfTestRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.v4;
import static io.jlvs.forwarder.SynProxyPipelineTest.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fast path's XDP program answering SYNs of a --synproxy service, in the kernel (the verifier accepts it, or the
 * test fails with its log) with BPF_PROG_TEST_RUN: for SYNs with and without timestamps, window scale, SACK
 * permitted and MSS, the frame it sends back is, byte for byte, the one SynProxy sends for the same SYN under the
 * same secrets, minute and clock. SYNs it must not answer go on to the kernel untouched.
 */
class XdpSynProxyProgramTest {
    private static final int PORT = 80, OTHER_PORT = 81, CPORT = 43210, ISN = 0x8765_4321;
    /** BPF_PROG_TEST_RUN runs the program on the namespace's loopback device. */
    private static final int LOOPBACK = 1, MTU = 1500;
    /** The epoch the program's clock is set to: 5 s into a minute, so the whole test stays in that minute. */
    private static final long EPOCH_MILLIS = 1_800_000_000_000L - 1_800_000_000_000L % 60_000 + 5_000;

    private final SynCookies cookies = new SynCookies(0x0706050403020100L, 0x0f0e0d0c0b0a0908L, 0x1122334455667788L,
            0x99aabbccddeeff00L);
    private FastPathMaps maps;
    private long clockBase;

    @BeforeEach
    void load() throws Exception {
        maps = FastPathMaps.create(16);
        SynProxyMaps sp = maps.synProxy();
        assertEquals(0, cookies.publishSecrets(sp));
        assertEquals(0, sp.setMss(LOOPBACK, SynProxy.directorMss(MTU, false)));
        assertEquals(0, sp.addService(v4(VIP), PORT));
        clockBase = System.nanoTime();
        assertEquals(0, sp.setClock(SynCookies.minute(EPOCH_MILLIS), EPOCH_MILLIS * 1_000_000 - clockBase));
    }

    @AfterEach
    void close() {
        maps.close();
    }

    @Test
    void linuxSynWithEveryOption() throws Exception {
        assertAnsweredAsJavaDoes(syn(PORT, options(1460, true, true, 123_456, 0, 7)));
    }

    @Test
    void timestampsWithoutWindowScale() throws Exception {
        assertAnsweredAsJavaDoes(syn(PORT, options(1440, true, true, 7, 0, -1)));
        assertAnsweredAsJavaDoes(syn(PORT, options(1300, false, true, 0xFFFF_FFF0, 0, -1)));
    }

    @Test
    void timestampsWithoutSackAndAWindowScaleAboveTheLimit() throws Exception {
        assertAnsweredAsJavaDoes(syn(PORT, options(1460, false, true, 99, 0, 15)));
        assertAnsweredAsJavaDoes(syn(PORT, options(1460, true, true, 99, 0, 0)));
    }

    @Test
    void withoutTimestampsNeitherWindowScaleNorSackIsOffered() throws Exception {
        assertAnsweredAsJavaDoes(syn(PORT, options(1300, true, false, 0, 0, 7)));
        assertAnsweredAsJavaDoes(syn(PORT, options(9000, false, false, 0, 0, -1)));
    }

    @Test
    void everyMssIndexAndNoOptionsAtAll() throws Exception {
        for (int mss : new int[] {100, 536, 1299, 1300, 1439, 1440, 1459, 1460, 65535}) {
            assertAnsweredAsJavaDoes(syn(PORT, options(mss, false, false, 0, 0, -1)));
        }
        assertAnsweredAsJavaDoes(syn(PORT, new byte[0]));
    }

    @Test
    void optionsInAnotherOrderWithNopsAndEnd() throws Exception {
        // MSS, NOP, window scale, NOP, NOP, timestamps, SACK permitted, end (as macOS sends them)
        byte[] mac = HexFormat.of().parseHex("020405b4" + "01030306" + "0101080a0000abcd00000000" + "04020000");
        assertAnsweredAsJavaDoes(syn(PORT, mac));
        // an unknown option (kind 30, 6 bytes) is skipped
        byte[] unknown = HexFormat.of().parseHex("020405b4" + "1e06aabbccdd" + "0101" + "080a0000000100000000");
        assertAnsweredAsJavaDoes(syn(PORT, unknown));
    }

    @Test
    void synsTheProgramDoesNotAnswerGoOnUntouched() throws Exception {
        assertPassed(syn(OTHER_PORT, options(1460, true, true, 1, 0, 7)));                       // not --synproxy
        assertPassed(segment(PORT, 0x12, options(1460, true, true, 1, 0, 7)));                   // SYN-ACK
        assertPassed(segment(PORT, 0x06, options(1460, true, true, 1, 0, 7)));                   // SYN, RST
        assertPassed(segment(PORT, 0x03, options(1460, true, true, 1, 0, 7)));                   // SYN, FIN
        assertPassed(syn(PORT, HexFormat.of().parseHex("02050000")));                            // malformed MSS
        assertPassed(syn(PORT, HexFormat.of().parseHex("0101" + "0801")));                      // length below 2
        assertPassed(syn(PORT, HexFormat.of().parseHex("080a000000010000")));                    // past the header
        assertPassed(syn(PORT, HexFormat.of().parseHex("01".repeat(20))));                       // more than 16 options
        assertEquals(0, maps.synProxy().synAcksSent());
        // the same SYN, once the service is in the map, is answered: the passes above were the program's choice
        assertEquals(0, maps.synProxy().addService(v4(VIP), OTHER_PORT));
        assertEquals(BpfAttr.XDP_TX, BpfTestRun.run(maps.programFd(), syn(OTHER_PORT, options(1460, true, true, 1, 0, 7)))
                .returnValue());
        assertEquals(1, maps.synProxy().synAcksSent());
        assertEquals(0, maps.synProxy().removeService(v4(VIP), OTHER_PORT));
        assertPassed(syn(OTHER_PORT, options(1460, true, true, 1, 0, 7)));
    }

    @Test
    void noMssForTheInterfaceLeavesTheSynToJava() throws Exception {
        try (FastPathMaps other = FastPathMaps.create(16)) {
            assertEquals(0, cookies.publishSecrets(other.synProxy()));
            assertEquals(0, other.synProxy().addService(v4(VIP), PORT));
            byte[] in = syn(PORT, options(1460, true, true, 1, 0, 7));
            BpfTestRun.Result out = BpfTestRun.run(other.programFd(), in);
            assertEquals(BpfAttr.XDP_PASS, out.returnValue());
            assertArrayEquals(in, out.frame());
            assertEquals(0, other.synProxy().setMss(LOOPBACK, 1460));
            assertEquals(BpfAttr.XDP_TX, BpfTestRun.run(other.programFd(), in).returnValue());
        }
    }

    private static byte[] syn(int port, byte[] options) {
        return segment(port, 0x02, options);
    }

    private static byte[] segment(int port, int flags, byte[] options) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(57).tcp(CPORT, port)
                .seq(ISN & 0xFFFF_FFFFL).flags(flags).window(64240).tcpOptions(options).build();
    }

    private void assertPassed(byte[] in) throws Exception {
        BpfTestRun.Result out = BpfTestRun.run(maps.programFd(), in);
        assertEquals(BpfAttr.XDP_PASS, out.returnValue(), "passed: " + HexFormat.of().formatHex(in));
        assertArrayEquals(in, out.frame(), "untouched");
    }

    /**
     * Runs the program on {@code in} and compares its frame with SynProxy's SYN-ACK for the same SYN at each
     * millisecond of the program's clock while it ran (the SYN-ACK's timestamp is that clock).
     */
    private void assertAnsweredAsJavaDoes(byte[] in) throws Exception {
        long before = System.nanoTime();
        BpfTestRun.Result out = BpfTestRun.run(maps.programFd(), in);
        long after = System.nanoTime();
        assertEquals(BpfAttr.XDP_TX, out.returnValue(), "answered: " + HexFormat.of().formatHex(in));
        long first = EPOCH_MILLIS + (before - clockBase) / 1_000_000 - 1, last = EPOCH_MILLIS + (after - clockBase) / 1_000_000 + 1;
        byte[] expected = null;
        for (long millis = first; millis <= last; millis++) {
            expected = javaSynAck(in, millis);
            if (java.util.Arrays.equals(expected, out.frame())) return;
        }
        fail("the XDP SYN-ACK differs from SynProxy's for " + HexFormat.of().formatHex(in) + "\n xdp:  "
                + HexFormat.of().formatHex(out.frame()) + "\n java: " + HexFormat.of().formatHex(expected));
    }

    private byte[] javaSynAck(byte[] in, long epochMillis) {
        DropCounters drops = new DropCounters();
        SynProxy proxy = new SynProxy(cookies, null, new Egress(null, drops), drops);
        FakePort port = new FakePort("eth0", 2, DIR_CLIENT_MAC);
        port.mtu = MTU;
        FlowDescription flow = PipelineTest.parseValid(in);
        proxy.answerSyn(MemorySegment.ofArray(in.clone()), flow, port, epochMillis);
        return port.takeOnly();
    }
}
