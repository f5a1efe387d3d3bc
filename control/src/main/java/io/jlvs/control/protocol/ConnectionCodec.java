package io.jlvs.control.protocol;

import io.jlvs.control.model.ConnectionRow;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** The connection listing: its header, and batches of entries. */
final class ConnectionCodec {
    private ConnectionCodec() {}

    static void writeHeader(DataOutput out, ControlReply.ConnectionsHeader h) throws IOException {
        out.writeBoolean(h.numeric());
        out.writeBoolean(h.persistenceEngineColumns());
    }

    static ControlReply.ConnectionsHeader readHeader(DataInput in) throws IOException {
        return new ControlReply.ConnectionsHeader(Wire.readFlag(in), Wire.readFlag(in));
    }

    static void writeBatch(DataOutput out, ControlReply.ConnectionBatch b) throws IOException {
        if (b.rows().size() > ControlProtocol.MAX_CONNECTION_BATCH)
            throw new ProtocolException("connection batch of " + b.rows().size() + " rows is too large");
        Wire.writeList(out, b.rows(), ConnectionCodec::writeEntry);
    }

    static ControlReply.ConnectionBatch readBatch(DataInput in) throws IOException {
        return new ControlReply.ConnectionBatch(Wire.readList(in, ConnectionCodec::readEntry));
    }

    private static void writeEntry(DataOutput out, ConnectionRow e) throws IOException {
        Wire.writeString(out, e.protocol());
        Wire.writeString(out, e.state());
        out.writeInt(e.expireSeconds());
        out.writeLong(e.clientHi());
        out.writeLong(e.clientLo());
        out.writeInt(e.clientPort());
        out.writeLong(e.virtualHi());
        out.writeLong(e.virtualLo());
        out.writeInt(e.virtualPort());
        out.writeLong(e.realHi());
        out.writeLong(e.realLo());
        out.writeInt(e.realPort());
        Wire.writeOptionalString(out, e.peName());
        Wire.writeOptionalString(out, e.peData());
    }

    private static ConnectionRow readEntry(DataInput in) throws IOException {
        return new ConnectionRow(Wire.readString(in), Wire.readString(in), in.readInt(),
                in.readLong(), in.readLong(), in.readInt(), in.readLong(), in.readLong(), in.readInt(),
                in.readLong(), in.readLong(), in.readInt(), Wire.readOptionalString(in), Wire.readOptionalString(in));
    }
}
