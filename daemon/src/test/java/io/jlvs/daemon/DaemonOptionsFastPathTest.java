package io.jlvs.daemon;

import io.jlvs.control.model.ForwardMethod;
import io.jlvs.platform.packetio.RxRingLayout;
import io.jlvs.platform.splice.SpliceMode;
import io.jlvs.platform.xdp.XdpLink;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --fast-path: off or xdp, and xdp only where what it passes on reaches jlvs (AF_PACKET); --xdp-mode: where its
 * program runs.
 */
class DaemonOptionsFastPathTest {
    private static DaemonOptions options(String io, String fastPath) {
        return options(io, fastPath, "auto");
    }

    private static DaemonOptions options(String io, String fastPath, String xdpMode) {
        return options(io, fastPath, xdpMode, DaemonOptions.DEFAULT_FAST_PATH_AFTER);
    }

    private static DaemonOptions options(String io, String fastPath, String xdpMode, int fastPathAfter) {
        return new DaemonOptions(List.of("eth0"), ForwardMethod.MASQ, io, 1, Path.of("/tmp/jlvs.sock"), 1024, null,
                RxRingLayout.FRAME_PER_BLOCK, null, null, Duration.ZERO, null, SpliceMode.SOCKMAP, 0, null, fastPath,
                xdpMode, fastPathAfter);
    }

    @Test
    void offByDefaultChoiceAndXdpWithAfPacket() {
        assertFalse(options("afpacket", "off").xdpFastPath());
        assertTrue(options("afpacket", "xdp").xdpFastPath());
    }

    @Test
    void xdpWithPcapOrAnUnknownFastPathIsRefusedWithAMessage() {
        assertEquals("--fast-path xdp works with --io afpacket only (the packets it passes on reach jlvs through the "
                        + "kernel's AF_PACKET taps), not --io pcap",
                assertThrows(IllegalArgumentException.class, () -> options("pcap", "xdp")).getMessage());
        assertEquals("--fast-path must be off or xdp, not tc",
                assertThrows(IllegalArgumentException.class, () -> options("afpacket", "tc")).getMessage());
    }

    @Test
    void xdpModeChoosesWhereTheProgramRunsAndIsRefusedWithoutTheFastPath() {
        assertEquals(null, options("afpacket", "xdp").xdpPlacement(), "auto: the driver's native mode first");
        assertEquals(XdpLink.Mode.NATIVE, options("afpacket", "xdp", "native").xdpPlacement());
        assertEquals(XdpLink.Mode.GENERIC, options("afpacket", "xdp", "generic").xdpPlacement());
        assertEquals("--xdp-mode must be auto, native, generic, not skb",
                assertThrows(IllegalArgumentException.class, () -> options("afpacket", "xdp", "skb")).getMessage());
        assertEquals("--xdp-mode generic applies to --fast-path xdp only",
                assertThrows(IllegalArgumentException.class, () -> options("afpacket", "off", "generic")).getMessage());
    }

    @Test
    void fastPathAfterTakesZeroTo255PacketsAndIsRefusedWithoutTheFastPath() {
        assertEquals(0, options("afpacket", "xdp", "auto", 0).fastPathAfter());
        assertEquals(255, options("afpacket", "xdp", "auto", 255).fastPathAfter());
        assertEquals("--fast-path-after must be 0..255 packets, not 256",
                assertThrows(IllegalArgumentException.class, () -> options("afpacket", "xdp", "auto", 256))
                        .getMessage());
        assertEquals("--fast-path-after must be 0..255 packets, not -1",
                assertThrows(IllegalArgumentException.class, () -> options("afpacket", "xdp", "auto", -1))
                        .getMessage());
        assertEquals("--fast-path-after applies to --fast-path xdp only",
                assertThrows(IllegalArgumentException.class, () -> options("afpacket", "off", "auto", 4))
                        .getMessage());
    }
}
