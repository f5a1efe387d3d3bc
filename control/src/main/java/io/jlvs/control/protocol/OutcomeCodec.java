package io.jlvs.control.protocol;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Failure (message and exit code) and Outcome (exit code). */
final class OutcomeCodec {
    private OutcomeCodec() {}

    static void writeFailure(DataOutput out, ControlReply.Failure f) throws IOException {
        Wire.writeString(out, f.message());
        out.writeInt(f.exitCode());
    }

    static ControlReply.Failure readFailure(DataInput in) throws IOException {
        return new ControlReply.Failure(Wire.readString(in), in.readInt());
    }

    static void writeOutcome(DataOutput out, ControlReply.Outcome o) throws IOException {
        out.writeInt(o.exitCode());
    }

    static ControlReply.Outcome readOutcome(DataInput in) throws IOException {
        return new ControlReply.Outcome(in.readInt());
    }
}
