package io.jlvs.control.protocol;

import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServiceStats;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** ServiceTable: kind, format, table size, then each service with its counters and its real servers. */
final class ServiceTableCodec {
    private ServiceTableCodec() {}

    static void write(DataOutput out, ControlReply.ServiceTable t) throws IOException {
        Wire.writeOptionalEnum(out, t.kind());
        ModelCodec.writeListFormat(out, t.format());
        out.writeInt(t.connectionTableSize());
        Wire.writeList(out, t.services(), ServiceTableCodec::writeService);
    }

    static ControlReply.ServiceTable read(DataInput in) throws IOException {
        return new ControlReply.ServiceTable(Wire.readEnum(in, ControlReply.TableKind.class),
                ModelCodec.readListFormat(in), in.readInt(), Wire.readList(in, ServiceTableCodec::readService));
    }

    private static void writeService(DataOutput out, ControlReply.ServiceRow s) throws IOException {
        ModelCodec.writeServiceConfig(out, s.service());
        ServiceStats st = s.stats();
        writeCounters(out, st.conns(), st.inPackets(), st.outPackets(), st.inBytes(), st.outBytes(),
                st.cps(), st.inPps(), st.outPps(), st.inBps(), st.outBps());
        Wire.writeList(out, s.servers(), ServiceTableCodec::writeServer);
    }

    private static ControlReply.ServiceRow readService(DataInput in) throws IOException {
        var config = ModelCodec.readServiceConfig(in);
        var stats = new ServiceStats(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        return new ControlReply.ServiceRow(config, stats, Wire.readList(in, ServiceTableCodec::readServer));
    }

    private static void writeServer(DataOutput out, ControlReply.RealServerRow r) throws IOException {
        ModelCodec.writeRealServerConfig(out, r.server());
        RealServerStats st = r.stats();
        writeCounters(out, st.conns(), st.inPackets(), st.outPackets(), st.inBytes(), st.outBytes(),
                st.cps(), st.inPps(), st.outPps(), st.inBps(), st.outBps());
        out.writeInt(st.activeConns());
        out.writeInt(st.inactiveConns());
        out.writeInt(st.persistentConns());
    }

    private static ControlReply.RealServerRow readServer(DataInput in) throws IOException {
        var config = ModelCodec.readRealServerConfig(in);
        var stats = new RealServerStats(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readInt(), in.readInt(), in.readInt());
        return new ControlReply.RealServerRow(config, stats);
    }

    private static void writeCounters(DataOutput out, long... counters) throws IOException {
        for (long c : counters) out.writeLong(c);
    }
}
