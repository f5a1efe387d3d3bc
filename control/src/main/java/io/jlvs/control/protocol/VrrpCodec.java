package io.jlvs.control.protocol;

import io.jlvs.control.model.VrrpStatus;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** The Vrrp reply: one VRRP instance of `jlvs status`. */
final class VrrpCodec {
    private VrrpCodec() {}

    static void write(DataOutput out, ControlReply.Vrrp reply) throws IOException {
        VrrpStatus v = reply.instance();
        Wire.writeString(out, v.instance());
        Wire.writeString(out, v.group());
        Wire.writeString(out, v.interfaceName());
        out.writeByte(v.virtualRouterId());
        out.writeByte(v.version());
        Wire.writeString(out, v.state());
        out.writeShort(v.priority());
        out.writeShort(v.effectivePriority());
        Wire.writeString(out, v.master());
        Wire.writeString(out, v.reason());
        out.writeLong(v.sinceMillis());
        out.writeLong(v.advertsSent());
        out.writeLong(v.advertsReceived());
        out.writeLong(v.advertsDropped());
        Wire.writeString(out, v.addresses());
    }

    static ControlReply.Vrrp read(DataInput in) throws IOException {
        return new ControlReply.Vrrp(new VrrpStatus(Wire.readString(in), Wire.readString(in), Wire.readString(in),
                in.readUnsignedByte(), in.readUnsignedByte(), Wire.readString(in), in.readUnsignedShort(),
                in.readUnsignedShort(), Wire.readString(in), Wire.readString(in), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), Wire.readString(in)));
    }
}
