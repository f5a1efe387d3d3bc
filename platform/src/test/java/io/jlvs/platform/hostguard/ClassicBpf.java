package io.jlvs.platform.hostguard;

import io.jlvs.platform.packetio.BpfProgram;

/**
 * A classic BPF interpreter for tests, read from tc's bytecode text ({@link BpfProgram#toTcBytecode}), with the
 * kernel's semantics for the instructions jlvs emits: a load past the frame's end ends the program with 0.
 */
final class ClassicBpf {
    private final int[] code, jt, jf, k;

    ClassicBpf(String tcBytecode) {
        String[] parts = tcBytecode.split(",");
        int n = Integer.parseInt(parts[0]);
        if (n != parts.length - 1) throw new IllegalArgumentException("count " + n + " but " + (parts.length - 1) + " instructions");
        code = new int[n];
        jt = new int[n];
        jf = new int[n];
        k = new int[n];
        for (int i = 0; i < n; i++) {
            String[] f = parts[i + 1].split(" ");
            code[i] = Integer.parseInt(f[0]);
            jt[i] = Integer.parseInt(f[1]);
            jf[i] = Integer.parseInt(f[2]);
            k[i] = Integer.parseUnsignedInt(f[3]);
            if (jt[i] > 255 || jf[i] > 255) throw new IllegalArgumentException("jump too long at " + i);
        }
    }

    /** Runs the program over {@code frame} (from its Ethernet header) and returns its return value. */
    int run(byte[] frame) {
        int a = 0, x = 0;
        int[] scratch = new int[16];
        for (int pc = 0; pc < code.length; pc++) {
            int c = code[pc];
            switch (c) {
                case 0x20 -> { if (!fits(frame, k[pc], 4)) return 0; a = word(frame, k[pc]); }
                case 0x28 -> { if (!fits(frame, k[pc], 2)) return 0; a = half(frame, k[pc]); }
                case 0x30 -> { if (!fits(frame, k[pc], 1)) return 0; a = frame[k[pc]] & 0xFF; }
                case 0x00 -> a = k[pc];
                case 0x50 -> { if (!fits(frame, x + k[pc], 1)) return 0; a = frame[x + k[pc]] & 0xFF; }
                case 0x48 -> { if (!fits(frame, x + k[pc], 2)) return 0; a = half(frame, x + k[pc]); }
                case 0xb1 -> { if (!fits(frame, k[pc], 1)) return 0; x = (frame[k[pc]] & 0xF) * 4; }
                case 0x60 -> a = scratch[k[pc]];
                case 0x02 -> scratch[k[pc]] = a;
                case 0x15 -> pc += a == k[pc] ? jt[pc] : jf[pc];
                case 0x45 -> pc += (a & k[pc]) != 0 ? jt[pc] : jf[pc];
                case 0x06 -> { return k[pc]; }
                default -> throw new IllegalArgumentException("opcode 0x" + Integer.toHexString(c) + " at " + pc + " not interpreted");
            }
            if (pc + 1 > code.length) throw new IllegalStateException("jump past the end at " + pc);
        }
        throw new IllegalStateException("fell off the end of the program");
    }

    private static boolean fits(byte[] frame, long offset, int size) {
        return offset >= 0 && offset + size <= frame.length;
    }

    private static int half(byte[] f, int at) {
        return ((f[at] & 0xFF) << 8) | (f[at + 1] & 0xFF);
    }

    private static int word(byte[] f, int at) {
        return (half(f, at) << 16) | half(f, at + 2);
    }
}
