package io.jlvs.control.protocol;

import io.jlvs.control.command.ListFormat;
import io.jlvs.control.command.RealServerSpec;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.MarkRule;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.Ipv6Address;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;

/** Fields of the desired-state model: service keys and settings, real servers, mark rules, listing formats. */
final class ModelCodec {
    private ModelCodec() {}

    static void writeServiceKey(DataOutput out, ServiceKey k) throws IOException {
        Wire.writeOptionalEnum(out, k.protocol());
        out.writeLong(k.addrHi());
        out.writeLong(k.addrLo());
        out.writeShort(k.port());
        out.writeInt(k.fwmark());
        out.writeByte(k.af());
    }

    static ServiceKey readServiceKey(DataInput in) throws IOException {
        Protocol p = Wire.readOptionalEnum(in, Protocol.class);
        long hi = in.readLong(), lo = in.readLong();
        int port = in.readUnsignedShort();
        int fwmark = in.readInt();
        int af = in.readUnsignedByte();
        return new ServiceKey(p, hi, lo, port, fwmark, af);
    }

    static void writeOptionalServiceKey(DataOutput out, ServiceKey k) throws IOException {
        out.writeBoolean(k != null);
        if (k != null) writeServiceKey(out, k);
    }

    static ServiceKey readOptionalServiceKey(DataInput in) throws IOException {
        return Wire.readFlag(in) ? readServiceKey(in) : null;
    }

    static void writeServiceConfig(DataOutput out, ServiceConfig s) throws IOException {
        writeServiceKey(out, s.key());
        Wire.writeString(out, s.scheduler());
        Wire.writeList(out, List.copyOf(s.schedFlags()), Wire::writeString);
        out.writeInt(s.persistTimeout());
        out.writeLong(s.netmaskHi());
        out.writeLong(s.netmaskLo());
        Wire.writeOptionalString(out, s.pe());
        out.writeBoolean(s.onePacket());
        out.writeBoolean(s.synproxy());
        Wire.writeList(out, s.localAddresses(), DataOutput::writeInt);
        out.writeBoolean(s.sloppyTcp());
        writeIpv6Addresses(out, s.localAddresses6());
    }

    static void writeIpv6Addresses(DataOutput out, List<Ipv6Address> addresses) throws IOException {
        Wire.writeList(out, addresses, (o, a) -> { o.writeLong(a.hi()); o.writeLong(a.lo()); });
    }

    static List<Ipv6Address> readIpv6Addresses(DataInput in) throws IOException {
        return Wire.readList(in, i -> new Ipv6Address(i.readLong(), i.readLong()));
    }

    static ServiceConfig readServiceConfig(DataInput in) throws IOException {
        ServiceKey key = readServiceKey(in);
        String scheduler = Wire.readString(in);
        List<String> flags = Wire.readList(in, Wire::readString);
        int persist = in.readInt();
        long maskHi = in.readLong(), maskLo = in.readLong();
        String pe = Wire.readOptionalString(in);
        boolean onePacket = Wire.readFlag(in);
        boolean synproxy = Wire.readFlag(in);
        List<Integer> localAddresses = Wire.readList(in, DataInput::readInt);
        if (localAddresses.stream().distinct().count() != localAddresses.size())
            throw new IOException("repeated local address");
        boolean sloppyTcp = Wire.readFlag(in);
        List<Ipv6Address> localAddresses6 = readIpv6Addresses(in);
        if (localAddresses6.stream().distinct().count() != localAddresses6.size())
            throw new IOException("repeated local address");
        return new ServiceConfig(key, scheduler, new LinkedHashSet<>(flags), persist, maskHi, maskLo, pe, onePacket,
                synproxy, localAddresses, sloppyTcp, localAddresses6);
    }

    static void writeRealServerConfig(DataOutput out, RealServerConfig r) throws IOException {
        out.writeLong(r.addrHi());
        out.writeLong(r.addrLo());
        out.writeShort(r.port());
        Wire.writeOptionalEnum(out, r.method());
        out.writeInt(r.weight());
        out.writeInt(r.upperThreshold());
        out.writeInt(r.lowerThreshold());
        Wire.writeOptionalString(out, r.tunType());
        out.writeInt(r.tunPort());
        Wire.writeOptionalString(out, r.tunCsum());
        out.writeBoolean(r.proxyProtocol());
    }

    static RealServerConfig readRealServerConfig(DataInput in) throws IOException {
        long hi = in.readLong(), lo = in.readLong();
        int port = in.readUnsignedShort();
        ForwardMethod method = Wire.readEnum(in, ForwardMethod.class);
        int weight = in.readInt(), upper = in.readInt(), lower = in.readInt();
        String tunType = Wire.readOptionalString(in);
        int tunPort = in.readInt();
        String tunCsum = Wire.readOptionalString(in);
        boolean proxyProtocol = Wire.readFlag(in);
        return new RealServerConfig(hi, lo, port, method, weight, upper, lower, tunType, tunPort, tunCsum,
                proxyProtocol);
    }

    static void writeRealServerSpec(DataOutput out, RealServerSpec r) throws IOException {
        out.writeLong(r.addrHi());
        out.writeLong(r.addrLo());
        out.writeInt(r.port());
        Wire.writeOptionalEnum(out, r.method());
        out.writeInt(r.weight());
        out.writeInt(r.upperThreshold());
        out.writeInt(r.lowerThreshold());
        Wire.writeOptionalString(out, r.tunType());
        out.writeInt(r.tunPort());
        Wire.writeOptionalString(out, r.tunCsum());
        out.writeBoolean(r.tunnelOptions());
        out.writeBoolean(r.proxyProtocol());
    }

    static RealServerSpec readRealServerSpec(DataInput in) throws IOException {
        long hi = in.readLong(), lo = in.readLong();
        int port = in.readInt();
        ForwardMethod method = Wire.readOptionalEnum(in, ForwardMethod.class);
        int weight = in.readInt(), upper = in.readInt(), lower = in.readInt();
        String tunType = Wire.readOptionalString(in);
        int tunPort = in.readInt();
        String tunCsum = Wire.readOptionalString(in);
        boolean tunnelOptions = Wire.readFlag(in);
        boolean proxyProtocol = Wire.readFlag(in);
        return new RealServerSpec(hi, lo, port, method, weight, upper, lower, tunType, tunPort, tunCsum, tunnelOptions,
                proxyProtocol);
    }

    static void writeMarkRule(DataOutput out, MarkRule m) throws IOException {
        out.writeInt(m.mark());
        Wire.writeOptionalEnum(out, m.protocol());
        out.writeByte(m.af());
        out.writeLong(m.addrHi());
        out.writeLong(m.addrLo());
        out.writeByte(m.prefixLength());
        out.writeShort(m.portFrom());
        out.writeShort(m.portTo());
    }

    static MarkRule readMarkRule(DataInput in) throws IOException {
        int mark = in.readInt();
        Protocol p = Wire.readEnum(in, Protocol.class);
        int af = in.readUnsignedByte();
        long hi = in.readLong(), lo = in.readLong();
        int prefix = in.readUnsignedByte();
        int from = in.readUnsignedShort(), to = in.readUnsignedShort();
        try {
            return new MarkRule(mark, p, af, hi, lo, prefix, from, to);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad mark rule: " + e.getMessage(), e);
        }
    }

    /** The eight listing modifiers as one bit set, in the order of ListFormat's components. */
    static void writeListFormat(DataOutput out, ListFormat f) throws IOException {
        int bits = (f.numeric() ? 1 : 0) | (f.stats() ? 2 : 0) | (f.rate() ? 4 : 0) | (f.thresholds() ? 8 : 0)
                | (f.persistentConn() ? 16 : 0) | (f.tunInfo() ? 32 : 0) | (f.noSort() ? 64 : 0) | (f.exact() ? 128 : 0);
        out.writeByte(bits);
    }

    static ListFormat readListFormat(DataInput in) throws IOException {
        int b = in.readUnsignedByte();
        return new ListFormat((b & 1) != 0, (b & 2) != 0, (b & 4) != 0, (b & 8) != 0, (b & 16) != 0,
                (b & 32) != 0, (b & 64) != 0, (b & 128) != 0);
    }
}
