package io.jlvs.platform.bpf;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import io.jlvs.platform.bpf.EbpfAssembler.Alu;
import io.jlvs.platform.bpf.EbpfAssembler.Jump;
import io.jlvs.platform.bpf.EbpfAssembler.Size;

import static io.jlvs.platform.bpf.EbpfAssembler.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The encoding of each instruction against the bytes clang and llvm-objdump produce for it. */
class EbpfAssemblerTest {
    private static String hex(EbpfAssembler assembler) {
        return HexFormat.ofDelimiter(" ").formatHex(assembler.build().bytes());
    }

    @Test
    void movesAddsLoadsAndStores() {
        assertEquals("bf 16 00 00 00 00 00 00", hex(new EbpfAssembler().mov64(R6, R1)));           // r6 = r1
        assertEquals("bf a3 00 00 00 00 00 00", hex(new EbpfAssembler().mov64(R3, R10)));          // r3 = r10
        assertEquals("b7 04 00 00 00 00 00 00", hex(new EbpfAssembler().mov64Immediate(R4, 0)));   // r4 = 0
        assertEquals("b7 00 00 00 ff ff ff ff", hex(new EbpfAssembler().mov64Immediate(R0, -1)));  // r0 = -1
        assertEquals("07 03 00 00 f8 ff ff ff", hex(new EbpfAssembler().add64Immediate(R3, -8)));  // r3 += -8
        assertEquals("61 10 00 00 00 00 00 00", hex(new EbpfAssembler().loadWord(R0, R1, 0)));     // r0 = *(u32 *)(r1 + 0)
        assertEquals("61 12 5c 00 00 00 00 00", hex(new EbpfAssembler().loadWord(R2, R1, 92)));    // r2 = *(u32 *)(r1 + 92)
        assertEquals("79 10 08 00 00 00 00 00", hex(new EbpfAssembler().loadDoubleWord(R0, R1, 8)));
        assertEquals("7b 0a f8 ff 00 00 00 00", hex(new EbpfAssembler().storeDoubleWord(R10, -8, R0))); // *(u64 *)(r10 - 8) = r0
    }

    @Test
    void mapDescriptorLoadTakesTwoSlots() {
        EbpfAssembler assembler = new EbpfAssembler().loadMapFd(R2, 7);                            // r2 = map[fd 7]
        assertEquals(2, assembler.length());
        assertEquals("18 12 00 00 07 00 00 00 00 00 00 00 00 00 00 00", hex(assembler));
    }

    @Test
    void jumpsCallsAndExit() {
        assertEquals("15 00 02 00 01 00 00 00", hex(new EbpfAssembler().jumpIfEqual(R0, 1, 2)));     // if r0 == 1 goto +2
        assertEquals("55 03 ff ff 00 00 00 00", hex(new EbpfAssembler().jumpIfNotEqual(R3, 0, -1))); // if r3 != 0 goto -1
        assertEquals("05 00 03 00 00 00 00 00", hex(new EbpfAssembler().jump(3)));                   // goto +3
        assertEquals("85 00 00 00 2e 00 00 00", hex(new EbpfAssembler().call(46)));                  // call bpf_get_socket_cookie
        assertEquals("85 00 00 00 48 00 00 00", hex(new EbpfAssembler().call(72)));                  // call bpf_sk_redirect_hash
        assertEquals("95 00 00 00 00 00 00 00", hex(new EbpfAssembler().exit()));
    }

    @Test
    void arithmeticSwapsSizedAccessesAndLabels() {
        assertEquals("57 01 00 00 3f ff 00 00", hex(new EbpfAssembler().alu64(Alu.AND, R1, 0xff3f)));      // r1 &= 0xff3f
        assertEquals("77 02 00 00 10 00 00 00", hex(new EbpfAssembler().alu64(Alu.RSH, R2, 16)));          // r2 >>= 16
        assertEquals("0f 21 00 00 00 00 00 00", hex(new EbpfAssembler().alu64Register(Alu.ADD, R1, R2))); // r1 += r2
        assertEquals("dc 02 00 00 10 00 00 00", hex(new EbpfAssembler().toBigEndian(R2, 16)));            // r2 = be16 r2
        assertEquals("69 71 0c 00 00 00 00 00", hex(new EbpfAssembler().load(Size.HALF, R1, R7, 12)));    // r1 = *(u16 *)(r7 + 12)
        assertEquals("73 17 16 00 00 00 00 00", hex(new EbpfAssembler().store(Size.BYTE, R7, 22, R1)));   // *(u8 *)(r7 + 22) = r1
        assertEquals("62 07 0e 00 45 00 00 00", hex(new EbpfAssembler().storeImmediate(Size.WORD, R7, 14, 0x45)));
        assertEquals("37 00 00 00 40 42 0f 00", hex(new EbpfAssembler().alu64(Alu.DIV, R0, 1_000_000)));   // r0 /= 1000000
        // r5 = 0x736f6d6570736575: two slots, the low half's immediate first
        assertEquals("18 05 00 00 75 65 73 70 00 00 00 00 65 6d 6f 73",
                hex(new EbpfAssembler().loadImmediate64(R5, 0x736f6d6570736575L)));
        // if r1 > r8 goto out; r0 = 0; out: exit
        assertEquals("2d 81 01 00 00 00 00 00 b7 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00",
                hex(new EbpfAssembler().jumpIfRegister(Jump.GT, R1, R8, "out").mov64Immediate(R0, 0)
                        .label("out").exit()));
        // back: r0 = 0; if r0 != 2 goto back
        assertEquals("b7 00 00 00 00 00 00 00 55 00 fe ff 02 00 00 00",
                hex(new EbpfAssembler().label("back").mov64Immediate(R0, 0).jumpIf(Jump.NE, R0, 2, "back")));
        assertThrows(IllegalStateException.class, () -> new EbpfAssembler().jump("nowhere").build());
    }

    @Test
    void theInstructionsOfTheXdpTranslation() {
        assertEquals("71 94 17 00 00 00 00 00", hex(new EbpfAssembler().loadByte(R4, R9, 23)));        // r4 = *(u8 *)(r9 + 23)
        assertEquals("69 94 0c 00 00 00 00 00", hex(new EbpfAssembler().loadHalfWord(R4, R9, 12)));    // r4 = *(u16 *)(r9 + 12)
        assertEquals("63 7a fc ff 00 00 00 00", hex(new EbpfAssembler().storeWord(R10, -4, R7)));      // *(u32 *)(r10 - 4) = r7
        assertEquals("62 0a fc ff 00 00 00 00", hex(new EbpfAssembler().storeWordImmediate(R10, -4, 0)));
        assertEquals("b4 07 00 00 05 00 00 00", hex(new EbpfAssembler().mov32Immediate(R7, 5)));       // w7 = 5
        assertEquals("0f 83 00 00 00 00 00 00", hex(new EbpfAssembler().add64(R3, R8)));               // r3 += r8
        assertEquals("57 08 00 00 0f 00 00 00", hex(new EbpfAssembler().and64Immediate(R8, 15)));      // r8 &= 15
        assertEquals("67 08 00 00 02 00 00 00", hex(new EbpfAssembler().leftShift64Immediate(R8, 2))); // r8 <<= 2
        assertEquals("dc 07 00 00 20 00 00 00", hex(new EbpfAssembler().toBigEndian(R7, 32)));         // r7 = be32 r7
        assertEquals("2d 23 05 00 00 00 00 00", hex(new EbpfAssembler().jumpIfGreater(R3, R2, 5)));    // if r3 > r2 goto +5
        assertEquals("16 07 02 00 01 00 00 00", hex(new EbpfAssembler().jumpIfEqual32(R7, 1, 2)));     // if w7 == 1 goto +2
        assertEquals("46 07 01 00 ff 1f 00 00", hex(new EbpfAssembler().jumpIfAnySet32(R7, 0x1FFF, 1))); // if w7 & 0x1fff goto +1
    }

    @Test
    void refusesWhatDoesNotEncode() {
        assertThrows(IllegalArgumentException.class, () -> new EbpfAssembler().mov64(11, R0));
        assertThrows(IllegalArgumentException.class, () -> new EbpfAssembler().loadWord(R0, R1, 40_000));
        assertThrows(IllegalStateException.class, () -> new EbpfAssembler().build());
    }
}
