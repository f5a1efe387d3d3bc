package io.jlvs.control.protocol;

import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.control.model.Timeouts;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.OptionalInt;

/** AdmCommand: a tag byte naming the command, then its fields in declaration order. */
final class CommandCodec {
    private static final byte ADD_SERVICE = 1, EDIT_SERVICE = 2, DELETE_SERVICE = 3, CLEAR = 4, ADD_SERVER = 5,
            EDIT_SERVER = 6, DELETE_SERVER = 7, RESTORE = 8, SAVE = 9, LIST = 10, ZERO = 11, SET_TIMEOUTS = 12,
            START_DAEMON = 13, STOP_DAEMON = 14, HELP = 15, VERSION = 16, ADD_MARK_RULE = 17, REMOVE_MARK_RULE = 18,
            LIST_MARKS = 19, SYSCTL = 20, ADD_LOCAL_ADDRESSES = 21, DELETE_LOCAL_ADDRESSES = 22,
            LIST_LOCAL_ADDRESSES = 23;

    private CommandCodec() {}

    static void write(DataOutput out, AdmCommand command) throws IOException {
        switch (command) {
            case AdmCommand.AddService c -> { out.writeByte(ADD_SERVICE); ModelCodec.writeServiceConfig(out, c.config()); }
            case AdmCommand.EditService c -> { out.writeByte(EDIT_SERVICE); ModelCodec.writeServiceConfig(out, c.config()); }
            case AdmCommand.DeleteService c -> { out.writeByte(DELETE_SERVICE); ModelCodec.writeServiceKey(out, c.key()); }
            case AdmCommand.Clear c -> out.writeByte(CLEAR);
            case AdmCommand.AddServer c -> {
                out.writeByte(ADD_SERVER);
                ModelCodec.writeServiceKey(out, c.service());
                ModelCodec.writeRealServerSpec(out, c.server());
            }
            case AdmCommand.EditServer c -> {
                out.writeByte(EDIT_SERVER);
                ModelCodec.writeServiceKey(out, c.service());
                ModelCodec.writeRealServerSpec(out, c.server());
            }
            case AdmCommand.DeleteServer c -> {
                out.writeByte(DELETE_SERVER);
                ModelCodec.writeServiceKey(out, c.service());
                out.writeLong(c.addrHi());
                out.writeLong(c.addrLo());
                out.writeInt(c.port());
            }
            case AdmCommand.Restore c -> out.writeByte(RESTORE);
            case AdmCommand.Save c -> { out.writeByte(SAVE); out.writeBoolean(c.numeric()); }
            case AdmCommand.List c -> {
                out.writeByte(LIST);
                Wire.writeOptionalEnum(out, c.what());
                ModelCodec.writeOptionalServiceKey(out, c.service());
                out.writeBoolean(c.format() != null);
                if (c.format() != null) ModelCodec.writeListFormat(out, c.format());
            }
            case AdmCommand.Zero c -> { out.writeByte(ZERO); ModelCodec.writeOptionalServiceKey(out, c.service()); }
            case AdmCommand.SetTimeouts c -> {
                out.writeByte(SET_TIMEOUTS);
                out.writeInt(c.update().tcp());
                out.writeInt(c.update().tcpFin());
                out.writeInt(c.update().udp());
            }
            case AdmCommand.StartDaemon c -> {
                out.writeByte(START_DAEMON);
                Wire.writeOptionalString(out, c.state());
                Wire.writeOptionalString(out, c.multicastInterface());
                out.writeInt(c.syncId());
                out.writeInt(c.maxLength());
                Wire.writeOptionalString(out, c.group());
                out.writeInt(c.port());
                out.writeInt(c.ttl());
            }
            case AdmCommand.StopDaemon c -> { out.writeByte(STOP_DAEMON); Wire.writeOptionalString(out, c.state()); }
            case AdmCommand.Help c -> out.writeByte(HELP);
            case AdmCommand.Version c -> out.writeByte(VERSION);
            case AdmCommand.AddMarkRule c -> { out.writeByte(ADD_MARK_RULE); ModelCodec.writeMarkRule(out, c.rule()); }
            case AdmCommand.RemoveMarkRule c -> { out.writeByte(REMOVE_MARK_RULE); ModelCodec.writeMarkRule(out, c.rule()); }
            case AdmCommand.ListMarks c -> out.writeByte(LIST_MARKS);
            case AdmCommand.AddLocalAddresses c -> {
                out.writeByte(ADD_LOCAL_ADDRESSES);
                ModelCodec.writeServiceKey(out, c.service());
                Wire.writeList(out, c.addresses(), DataOutput::writeInt);
                ModelCodec.writeIpv6Addresses(out, c.addresses6());
            }
            case AdmCommand.DeleteLocalAddresses c -> {
                out.writeByte(DELETE_LOCAL_ADDRESSES);
                ModelCodec.writeServiceKey(out, c.service());
                Wire.writeList(out, c.addresses(), DataOutput::writeInt);
                ModelCodec.writeIpv6Addresses(out, c.addresses6());
            }
            case AdmCommand.ListLocalAddresses c -> {
                out.writeByte(LIST_LOCAL_ADDRESSES);
                ModelCodec.writeOptionalServiceKey(out, c.service());
            }
            case AdmCommand.Sysctl c -> {
                out.writeByte(SYSCTL);
                Wire.writeOptionalEnum(out, c.sysctl());
                out.writeBoolean(c.value().isPresent());
                if (c.value().isPresent()) out.writeInt(c.value().getAsInt());
            }
        }
    }

    static AdmCommand read(DataInput in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case ADD_SERVICE -> new AdmCommand.AddService(ModelCodec.readServiceConfig(in));
            case EDIT_SERVICE -> new AdmCommand.EditService(ModelCodec.readServiceConfig(in));
            case DELETE_SERVICE -> new AdmCommand.DeleteService(ModelCodec.readServiceKey(in));
            case CLEAR -> new AdmCommand.Clear();
            case ADD_SERVER -> new AdmCommand.AddServer(ModelCodec.readServiceKey(in), ModelCodec.readRealServerSpec(in));
            case EDIT_SERVER -> new AdmCommand.EditServer(ModelCodec.readServiceKey(in), ModelCodec.readRealServerSpec(in));
            case DELETE_SERVER -> new AdmCommand.DeleteServer(ModelCodec.readServiceKey(in), in.readLong(), in.readLong(), in.readInt());
            case RESTORE -> new AdmCommand.Restore();
            case SAVE -> new AdmCommand.Save(Wire.readFlag(in));
            case LIST -> new AdmCommand.List(Wire.readOptionalEnum(in, AdmCommand.ListWhat.class),
                    ModelCodec.readOptionalServiceKey(in), Wire.readFlag(in) ? ModelCodec.readListFormat(in) : null);
            case ZERO -> new AdmCommand.Zero(ModelCodec.readOptionalServiceKey(in));
            case SET_TIMEOUTS -> new AdmCommand.SetTimeouts(new Timeouts(in.readInt(), in.readInt(), in.readInt()));
            case START_DAEMON -> new AdmCommand.StartDaemon(Wire.readOptionalString(in), Wire.readOptionalString(in),
                    in.readInt(), in.readInt(), Wire.readOptionalString(in), in.readInt(), in.readInt());
            case STOP_DAEMON -> new AdmCommand.StopDaemon(Wire.readOptionalString(in));
            case HELP -> new AdmCommand.Help();
            case VERSION -> new AdmCommand.Version();
            case ADD_MARK_RULE -> new AdmCommand.AddMarkRule(ModelCodec.readMarkRule(in));
            case REMOVE_MARK_RULE -> new AdmCommand.RemoveMarkRule(ModelCodec.readMarkRule(in));
            case LIST_MARKS -> new AdmCommand.ListMarks();
            case ADD_LOCAL_ADDRESSES -> new AdmCommand.AddLocalAddresses(ModelCodec.readServiceKey(in),
                    Wire.readList(in, DataInput::readInt), ModelCodec.readIpv6Addresses(in));
            case DELETE_LOCAL_ADDRESSES -> new AdmCommand.DeleteLocalAddresses(ModelCodec.readServiceKey(in),
                    Wire.readList(in, DataInput::readInt), ModelCodec.readIpv6Addresses(in));
            case LIST_LOCAL_ADDRESSES -> new AdmCommand.ListLocalAddresses(ModelCodec.readOptionalServiceKey(in));
            case SYSCTL -> new AdmCommand.Sysctl(Wire.readOptionalEnum(in, IpvsSysctl.class),
                    Wire.readFlag(in) ? OptionalInt.of(in.readInt()) : OptionalInt.empty());
            default -> throw new ProtocolException("unknown command tag " + tag);
        };
    }
}
