package io.jlvs.control.protocol;

import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServerState;
import io.jlvs.control.model.ServiceHealth;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** The Health reply: one service of `jlvs status` with its quorum state and each server's health. */
final class HealthCodec {
    private HealthCodec() {}

    static void write(DataOutput out, ControlReply.Health h) throws IOException {
        ServiceHealth s = h.service();
        ModelCodec.writeServiceKey(out, s.key());
        Wire.writeString(out, s.virtualServer());
        out.writeInt(s.quorum());
        out.writeInt(s.hysteresis());
        out.writeInt(s.liveWeight());
        out.writeBoolean(s.quorumHeld());
        out.writeBoolean(s.sorryActive());
        Wire.writeList(out, s.servers(), HealthCodec::writeServer);
    }

    static ControlReply.Health read(DataInput in) throws IOException {
        return new ControlReply.Health(new ServiceHealth(ModelCodec.readServiceKey(in), Wire.readString(in),
                in.readInt(), in.readInt(), in.readInt(), Wire.readFlag(in), Wire.readFlag(in),
                Wire.readList(in, HealthCodec::readServer)));
    }

    private static void writeServer(DataOutput out, ServerHealth r) throws IOException {
        out.writeLong(r.addrHi());
        out.writeLong(r.addrLo());
        out.writeShort(r.port());
        Wire.writeOptionalEnum(out, r.state());
        out.writeLong(r.sinceMillis());
        out.writeInt(r.configuredWeight());
        out.writeInt(r.weight());
        out.writeBoolean(r.drained());
        Wire.writeString(out, r.checker());
        Wire.writeString(out, r.lastResult());
        out.writeLong(r.lastCheckMillis());
        out.writeLong(r.lastCheckNanos());
        out.writeLong(r.heldUntilMillis());
        out.writeInt(r.activeConns());
        out.writeInt(r.inactiveConns());
    }

    private static ServerHealth readServer(DataInput in) throws IOException {
        long hi = in.readLong(), lo = in.readLong();
        int port = in.readUnsignedShort();
        ServerState state = Wire.readEnum(in, ServerState.class);
        return new ServerHealth(hi, lo, port, state, in.readLong(), in.readInt(), in.readInt(), Wire.readFlag(in),
                Wire.readString(in), Wire.readString(in), in.readLong(), in.readLong(), in.readLong(), in.readInt(),
                in.readInt());
    }
}
