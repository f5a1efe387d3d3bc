package io.jlvs.platform.splice;

import io.jlvs.platform.libc.ErrnoException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Mode names, and the fallback from a mode the kernel refuses to the next. */
class SpliceFactoryTest {
    @Test
    void parsesTheOptionValues() {
        assertEquals(SpliceMode.SOCKMAP, SpliceMode.parse("sockmap"));
        assertEquals(SpliceMode.PIPE, SpliceMode.parse(" Pipe "));
        assertEquals(SpliceMode.COPY, SpliceMode.parse("copy"));
        assertThrows(IllegalArgumentException.class, () -> SpliceMode.parse("zerocopy"));
    }

    @Test
    void thisKernelGivesTheModeAsked() throws Exception {
        for (SpliceMode mode : SpliceMode.values()) {
            try (Splicer splicer = Splicers.open(mode, SpliceOptions.withCapacity(4))) {
                assertEquals(mode, splicer.mode());
                assertEquals(4, splicer.capacity());
            }
        }
    }

    @Test
    void refusedModesFallBackInOrder() throws Exception {
        List<SpliceMode> tried = new ArrayList<>();
        Splicers.Opener refusingSockmapAndPipe = (mode, options) -> {
            tried.add(mode);
            if (mode == SpliceMode.SOCKMAP) throw new ErrnoException("BPF_PROG_LOAD failed: Operation not permitted", 1);
            if (mode == SpliceMode.PIPE) throw new ErrnoException("fcntl(F_SETPIPE_SZ) failed", 1);
            return Splicers.openExactly(mode, options);
        };
        try (Splicer splicer = Splicers.open(SpliceMode.SOCKMAP, SpliceOptions.withCapacity(4), refusingSockmapAndPipe)) {
            assertEquals(SpliceMode.COPY, splicer.mode());
        }
        assertEquals(List.of(SpliceMode.SOCKMAP, SpliceMode.PIPE, SpliceMode.COPY), tried);
    }

    @Test
    void copyRefusedIsTheCallersFailure() {
        Splicers.Opener refusingAll = (mode, options) -> {
            throw new IOException("no descriptors left");
        };
        IOException failure = assertThrows(IOException.class,
                () -> Splicers.open(SpliceMode.PIPE, SpliceOptions.withCapacity(4), refusingAll));
        assertEquals("no descriptors left", failure.getMessage());
    }

    @Test
    void aFullSplicerRefusesAndLeavesTheDescriptorsToTheCaller() throws Exception {
        try (LoopbackConnections loopback = new LoopbackConnections();
             Splicer splicer = Splicers.openExactly(SpliceMode.COPY, SpliceOptions.withCapacity(1))) {
            LoopbackConnections.Connections first = loopback.open(), second = loopback.open();
            SplicedPair pair = splicer.splice(first.proxyClientSide(), first.proxyServerSide());
            assertThrows(IOException.class, () -> splicer.splice(second.proxyClientSide(), second.proxyServerSide()));
            StreamEnds.writeText(second.client(), "still ours");
            io.jlvs.platform.libc.Libc.close(second.proxyClientSide());
            io.jlvs.platform.libc.Libc.close(second.proxyServerSide());
            pair.abort();
            assertEquals(SpliceEnd.Reason.ABORTED, StreamEnds.await(pair.end(), 10).reason());
            first.closeEnds();
            second.closeEnds();
        }
    }
}
