package io.jlvs.platform.packetio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;

import org.pcap4j.core.PcapHandle;

import com.sun.jna.Pointer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Finds libpcap for pcap4j and reaches what pcap4j does not expose. Distributions often ship only the versioned
 * file (libpcap.so.0.8) without the development symlink pcap4j's default name "pcap" needs, so the name that
 * loads is handed to pcap4j through its {@code org.pcap4j.core.pcapLibName} property before its first use.
 * pcap4j has no accessor for the socket descriptor, which the kernel filter, the fanout group and poll need:
 * it is read with pcap_fileno on the pcap_t pointer taken from PcapHandle's private field.
 */
final class PcapLibrary {
    private static final String PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final String[] CANDIDATES = {"libpcap.so", "libpcap.so.1", "libpcap.so.0.8"};
    private static final MethodHandle PCAP_FILENO;

    private PcapLibrary() {}

    static {
        String chosen = null;
        SymbolLookup lookup = null;
        for (String candidate : CANDIDATES) {
            try {
                lookup = SymbolLookup.libraryLookup(candidate, Arena.global());
                chosen = candidate;
                break;
            } catch (IllegalArgumentException notFound) {
                // try the next name
            }
        }
        if (chosen == null) throw new UnsatisfiedLinkError("libpcap not found (tried libpcap.so, .so.1, .so.0.8)");
        if (System.getProperty(PROPERTY) == null) System.setProperty(PROPERTY, chosen);
        PCAP_FILENO = Linker.nativeLinker().downcallHandle(lookup.find("pcap_fileno").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** Call before touching any pcap4j class. */
    static void ensureLoaded() {}

    static int fileDescriptor(PcapHandle handle) {
        try {
            Field field = PcapHandle.class.getDeclaredField("handle");
            field.setAccessible(true);
            long pcapT = Pointer.nativeValue((Pointer) field.get(handle));
            return (int) PCAP_FILENO.invokeExact(MemorySegment.ofAddress(pcapT));
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read the descriptor of a pcap4j handle", t);
        }
    }
}
