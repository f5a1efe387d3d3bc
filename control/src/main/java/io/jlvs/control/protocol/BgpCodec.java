package io.jlvs.control.protocol;

import io.jlvs.control.model.BgpStatus;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** The Bgp reply: the director's BGP announcement in `jlvs status`. */
final class BgpCodec {
    private BgpCodec() {}

    static void write(DataOutput out, ControlReply.Bgp reply) throws IOException {
        BgpStatus s = reply.status();
        Wire.writeString(out, s.daemon());
        Wire.writeString(out, s.include());
        out.writeBoolean(s.drained());
        Wire.writeList(out, s.sessions(), Wire::writeString);
        Wire.writeString(out, s.problem());
        Wire.writeList(out, s.vips(), (o, v) -> {
            Wire.writeString(o, v.address());
            o.writeBoolean(v.announced());
            Wire.writeString(o, v.reason());
        });
    }

    static ControlReply.Bgp read(DataInput in) throws IOException {
        return new ControlReply.Bgp(new BgpStatus(Wire.readString(in), Wire.readString(in), Wire.readFlag(in),
                Wire.readList(in, Wire::readString), Wire.readString(in),
                Wire.readList(in, i -> new BgpStatus.Vip(Wire.readString(i), Wire.readFlag(i), Wire.readString(i)))));
    }
}
