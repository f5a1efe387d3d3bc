package io.jlvs.control.protocol;

import io.jlvs.control.command.AdmCommand;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * Request payloads: Run is one command; Restore is the command list and the optional syntax error that ended it;
 * Drain is a service, a server and the direction. Status and Reload carry nothing.
 */
final class RequestCodec {
    private RequestCodec() {}

    static void writeRun(DataOutput out, ControlRequest.Run r) throws IOException {
        CommandCodec.write(out, r.command());
    }

    static ControlRequest.Run readRun(DataInput in) throws IOException {
        return new ControlRequest.Run(CommandCodec.read(in));
    }

    static void writeRestore(DataOutput out, ControlRequest.Restore r) throws IOException {
        Wire.writeList(out, r.commands(), CommandCodec::write);
        out.writeBoolean(r.stop() != null);
        if (r.stop() != null) OutcomeCodec.writeFailure(out, r.stop());
    }

    static ControlRequest.Restore readRestore(DataInput in) throws IOException {
        List<AdmCommand> commands = Wire.readList(in, CommandCodec::read);
        ControlReply.Failure stop = Wire.readFlag(in) ? OutcomeCodec.readFailure(in) : null;
        return new ControlRequest.Restore(commands, stop);
    }

    static void writeDrain(DataOutput out, ControlRequest.Drain r) throws IOException {
        ModelCodec.writeServiceKey(out, r.service());
        out.writeLong(r.addrHi());
        out.writeLong(r.addrLo());
        out.writeShort(r.port());
        out.writeBoolean(r.drain());
    }

    static ControlRequest.Drain readDrain(DataInput in) throws IOException {
        return new ControlRequest.Drain(ModelCodec.readServiceKey(in), in.readLong(), in.readLong(),
                in.readUnsignedShort(), Wire.readFlag(in));
    }
}
