package io.jlvs.control.protocol;

import io.jlvs.control.model.Timeouts;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** The small answers: timeouts, sysctl values, mark rules, sync daemons, usage. */
final class SettingsCodec {
    private SettingsCodec() {}

    static void writeTimeouts(DataOutput out, ControlReply.TimeoutValues t) throws IOException {
        out.writeInt(t.timeouts().tcp());
        out.writeInt(t.timeouts().tcpFin());
        out.writeInt(t.timeouts().udp());
    }

    static ControlReply.TimeoutValues readTimeouts(DataInput in) throws IOException {
        return new ControlReply.TimeoutValues(new Timeouts(in.readInt(), in.readInt(), in.readInt()));
    }

    static void writeSysctls(DataOutput out, ControlReply.SysctlValues s) throws IOException {
        Wire.writeList(out, s.values(), (o, v) -> {
            Wire.writeString(o, v.name());
            Wire.writeString(o, v.value());
        });
    }

    static ControlReply.SysctlValues readSysctls(DataInput in) throws IOException {
        return new ControlReply.SysctlValues(
                Wire.readList(in, i -> new ControlReply.SysctlValue(Wire.readString(i), Wire.readString(i))));
    }

    static void writeMarkRules(DataOutput out, ControlReply.MarkRules m) throws IOException {
        Wire.writeList(out, m.rules(), ModelCodec::writeMarkRule);
    }

    static ControlReply.MarkRules readMarkRules(DataInput in) throws IOException {
        return new ControlReply.MarkRules(Wire.readList(in, ModelCodec::readMarkRule));
    }

    static void writeSyncDaemons(DataOutput out, ControlReply.SyncDaemons d) throws IOException {
        Wire.writeList(out, d.daemons(), (o, row) -> {
            Wire.writeString(o, row.state());
            Wire.writeString(o, row.multicastInterface());
            o.writeInt(row.syncId());
            o.writeInt(row.maxLength());
            Wire.writeString(o, row.group());
            o.writeInt(row.port());
            o.writeInt(row.ttl());
        });
    }

    static ControlReply.SyncDaemons readSyncDaemons(DataInput in) throws IOException {
        return new ControlReply.SyncDaemons(Wire.readList(in,
                i -> new ControlReply.SyncDaemonRow(Wire.readString(i), Wire.readString(i), i.readInt(), i.readInt(),
                        Wire.readString(i), i.readInt(), i.readInt())));
    }

    static void writeUsage(DataOutput out, ControlReply.Usage u) throws IOException {
        out.writeBoolean(u.versionOnly());
    }

    static ControlReply.Usage readUsage(DataInput in) throws IOException {
        return new ControlReply.Usage(Wire.readFlag(in));
    }
}
