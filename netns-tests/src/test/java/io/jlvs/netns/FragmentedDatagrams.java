package io.jlvs.netns;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.LvsTopology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A UDP datagram larger than the client's 1500-byte link, sent from a client socket (the client's kernel fragments
 * it) to a VIP's UDP echo service (ServerLauncher.startUdpEchoServers), and the server's answer, which its kernel
 * fragments too, read back whole; with the client kernel's fragment counters before and after, which show that both
 * ways went as fragments.
 */
final class FragmentedDatagrams {
    /** Bigger than two 1500-byte fragments' worth: three fragments each way. */
    static final int SIZE = 4000;

    private FragmentedDatagrams() {}

    /** ASCII, so that it comes back unharmed through the command's text output. */
    static String payload() {
        StringBuilder b = new StringBuilder(SIZE);
        for (int i = 0; b.length() < SIZE; i++) b.append((char) ('a' + i % 26)).append(i % 10);
        return b.substring(0, SIZE);
    }

    /**
     * Sends the payload to {@code vip}:{@code port} (IPv6 when the address has a colon) and asserts that the echo
     * came back intact, prefixed with the answering server's name, and that the client's kernel fragmented one
     * datagram and reassembled one. Returns the server's name.
     */
    static String echo(LvsTopology topology, String vip, int port) {
        boolean v6 = vip.contains(":");
        long[] before = counters(topology, v6);
        String address = v6 ? "UDP6:[" + vip + "]:" + port : "UDP:" + vip + ":" + port;
        Path file = write(payload());
        // From a file, read in one go: one datagram. -b: one read of the answer takes it whole; -t: how long to wait
        // for it after the send.
        CommandResult result;
        try {
            result = topology.inClient("sh", "-c", "socat -b 65536 -t 3 - " + address + " < " + file);
        } finally {
            file.toFile().delete();
        }
        long[] after = counters(topology, v6);
        String reply = result.stdout();
        int space = reply.indexOf(' ');
        assertTrue(space > 0, "an answer from a server: " + result.describe());
        assertEquals(payload(), reply.substring(space + 1), "the echoed datagram, byte for byte");
        assertTrue(after[0] - before[0] >= 2, "the client's kernel sent the datagram as fragments: FragCreates "
                + before[0] + " -> " + after[0]);
        assertTrue(after[1] - before[1] >= 1, "the answer came as fragments the client reassembled: ReasmOKs "
                + before[1] + " -> " + after[1]);
        return reply.substring(0, space);
    }

    private static Path write(String text) {
        try {
            Path file = Files.createTempFile("jlvsfr-datagram", ".txt");
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client kernel's fragments made and datagrams reassembled, IPv4 (/proc/net/snmp) or IPv6 (snmp6). */
    private static long[] counters(LvsTopology topology, boolean v6) {
        if (v6) {
            String snmp6 = topology.inClient("cat", "/proc/net/snmp6").stdoutOrThrow();
            return new long[] {field6(snmp6, "Ip6FragCreates"), field6(snmp6, "Ip6ReasmOKs")};
        }
        String snmp = topology.inClient("cat", "/proc/net/snmp").stdoutOrThrow();
        String[] lines = snmp.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (!lines[i].startsWith("Ip: ") || !lines[i + 1].startsWith("Ip: ")) continue;
            String[] names = lines[i].split(" "), values = lines[i + 1].split(" ");
            long creates = -1, reassembled = -1;
            for (int k = 0; k < names.length; k++) {
                if (names[k].equals("FragCreates")) creates = Long.parseLong(values[k]);
                if (names[k].equals("ReasmOKs")) reassembled = Long.parseLong(values[k]);
            }
            return new long[] {creates, reassembled};
        }
        throw new AssertionError("no Ip: lines in /proc/net/snmp:\n" + snmp);
    }

    private static long field6(String snmp6, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\s+(\\d+)").matcher(snmp6);
        if (!m.find()) throw new AssertionError("no " + name + " in /proc/net/snmp6");
        return Long.parseLong(m.group(1));
    }
}
