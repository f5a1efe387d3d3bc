package io.jlvs.control.protocol;

import io.jlvs.control.l7.L7Check;
import io.jlvs.control.l7.L7Command;
import io.jlvs.control.l7.L7Config;
import io.jlvs.control.l7.L7Counters;
import io.jlvs.control.l7.L7Endpoint;
import io.jlvs.control.l7.L7Health;
import io.jlvs.control.l7.L7Options;
import io.jlvs.control.l7.L7ProxyFigures;
import io.jlvs.control.l7.L7Rule;
import io.jlvs.control.l7.L7Scheduler;
import io.jlvs.control.l7.L7Server;
import io.jlvs.control.l7.L7Service;
import io.jlvs.control.l7.L7SplicerFigures;
import io.jlvs.control.l7.L7ServiceSettings;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;

/**
 * The layer-7 family: a tcpvsadm command (a tag byte, then its fields) and the -L table (services with their
 * figures). Endpoints are an int address and an unsigned short port.
 */
final class L7Codec {
    private L7Codec() {}

    private static final byte ADD_SERVICE = 1, EDIT_SERVICE = 2, DELETE_SERVICE = 3, FLUSH = 4, ADD_SERVER = 5,
            EDIT_SERVER = 6, DELETE_SERVER = 7, ADD_RULE = 8, DELETE_RULE = 9, START = 10, STOP = 11, LOAD = 12,
            LIST = 13, LOAD_FILE = 14, HELP = 15, VERSION = 16;

    static void writeCommand(DataOutput out, L7Command command) throws IOException {
        switch (command) {
            case L7Command.AddService c -> {
                out.writeByte(ADD_SERVICE);
                Wire.writeString(out, c.ident());
                writeSettings(out, c.settings());
            }
            case L7Command.EditService c -> {
                out.writeByte(EDIT_SERVICE);
                Wire.writeString(out, c.ident());
                writeSettings(out, c.settings());
            }
            case L7Command.DeleteService c -> {
                out.writeByte(DELETE_SERVICE);
                Wire.writeString(out, c.ident());
            }
            case L7Command.Flush c -> out.writeByte(FLUSH);
            case L7Command.AddServer c -> {
                out.writeByte(ADD_SERVER);
                Wire.writeString(out, c.ident());
                writeServer(out, c.server());
            }
            case L7Command.EditServer c -> {
                out.writeByte(EDIT_SERVER);
                Wire.writeString(out, c.ident());
                writeServer(out, c.server());
            }
            case L7Command.DeleteServer c -> {
                out.writeByte(DELETE_SERVER);
                Wire.writeString(out, c.ident());
                writeEndpoint(out, c.server());
            }
            case L7Command.AddRule c -> {
                out.writeByte(ADD_RULE);
                Wire.writeString(out, c.ident());
                writeRule(out, c.rule());
            }
            case L7Command.DeleteRule c -> {
                out.writeByte(DELETE_RULE);
                Wire.writeString(out, c.ident());
                writeRule(out, c.rule());
            }
            case L7Command.Start c -> {
                out.writeByte(START);
                Wire.writeOptionalString(out, c.ident());
            }
            case L7Command.Stop c -> {
                out.writeByte(STOP);
                Wire.writeOptionalString(out, c.ident());
            }
            case L7Command.Load c -> {
                out.writeByte(LOAD);
                Wire.writeList(out, c.config().services(), L7Codec::writeService);
            }
            case L7Command.List c -> {
                out.writeByte(LIST);
                Wire.writeOptionalString(out, c.ident());
                out.writeBoolean(c.numeric());
                out.writeBoolean(c.stats());
            }
            case L7Command.LoadFile c -> {
                out.writeByte(LOAD_FILE);
                Wire.writeString(out, c.path());
            }
            case L7Command.Help c -> out.writeByte(HELP);
            case L7Command.Version c -> out.writeByte(VERSION);
        }
    }

    static L7Command readCommand(DataInput in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case ADD_SERVICE -> new L7Command.AddService(Wire.readString(in), readSettings(in));
            case EDIT_SERVICE -> new L7Command.EditService(Wire.readString(in), readSettings(in));
            case DELETE_SERVICE -> new L7Command.DeleteService(Wire.readString(in));
            case FLUSH -> new L7Command.Flush();
            case ADD_SERVER -> new L7Command.AddServer(Wire.readString(in), readServer(in));
            case EDIT_SERVER -> new L7Command.EditServer(Wire.readString(in), readServer(in));
            case DELETE_SERVER -> new L7Command.DeleteServer(Wire.readString(in), readEndpoint(in));
            case ADD_RULE -> new L7Command.AddRule(Wire.readString(in), readRule(in));
            case DELETE_RULE -> new L7Command.DeleteRule(Wire.readString(in), readRule(in));
            case START -> new L7Command.Start(Wire.readOptionalString(in));
            case STOP -> new L7Command.Stop(Wire.readOptionalString(in));
            case LOAD -> new L7Command.Load(new L7Config(Wire.readList(in, L7Codec::readService)));
            case LIST -> new L7Command.List(Wire.readOptionalString(in), Wire.readFlag(in), Wire.readFlag(in));
            case LOAD_FILE -> new L7Command.LoadFile(Wire.readString(in));
            case HELP -> new L7Command.Help();
            case VERSION -> new L7Command.Version();
            default -> throw new ProtocolException("unknown layer-7 command " + tag);
        };
    }

    static void writeTable(DataOutput out, ControlReply.L7Table table) throws IOException {
        out.writeBoolean(table.all());
        out.writeBoolean(table.numeric());
        out.writeBoolean(table.stats());
        Wire.writeList(out, table.services(), (o, row) -> {
            writeService(o, row.service());
            writeCounters(o, row.counters());
            Wire.writeList(o, row.health().servers(), Wire::writeOptionalEnum);
        });
    }

    static ControlReply.L7Table readTable(DataInput in) throws IOException {
        boolean all = Wire.readFlag(in);
        boolean numeric = Wire.readFlag(in);
        boolean stats = Wire.readFlag(in);
        List<ControlReply.L7ServiceRow> rows = Wire.readList(in,
                i -> new ControlReply.L7ServiceRow(readService(i), readCounters(i),
                        new L7Health(Wire.readList(i, h -> Wire.readEnum(h, L7Health.ServerState.class)))));
        return new ControlReply.L7Table(all, numeric, stats, rows);
    }

    private static void writeCounters(DataOutput out, L7Counters c) throws IOException {
        Wire.writeList(out, c.serverConnections(), DataOutput::writeLong);
        Wire.writeList(out, c.ruleHits(), DataOutput::writeLong);
        L7ProxyFigures p = c.proxy();
        for (long v : new long[] {p.accepted(), p.spliced(), p.splicedNow(), p.answered400(), p.answered431(),
                p.answered502(), p.answered503(), p.answered504(), p.slowHeads()}) out.writeLong(v);
        Wire.writeString(out, c.splicer().mode());
        out.writeLong(c.splicer().pairs());
        out.writeLong(c.splicer().sockhashEntries());
    }

    private static L7Counters readCounters(DataInput in) throws IOException {
        List<Long> servers = Wire.readList(in, DataInput::readLong);
        List<Long> hits = Wire.readList(in, DataInput::readLong);
        L7ProxyFigures proxy = new L7ProxyFigures(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        L7SplicerFigures splicer = new L7SplicerFigures(Wire.readString(in), in.readLong(), in.readLong());
        return new L7Counters(servers, hits, proxy, splicer);
    }

    private static void writeService(DataOutput out, L7Service s) throws IOException {
        Wire.writeString(out, s.ident());
        writeEndpoint(out, s.listen());
        Wire.writeOptionalEnum(out, s.scheduler());
        Wire.writeOptionalEnum(out, s.state());
        writeOptions(out, s.options());
        Wire.writeList(out, s.servers(), L7Codec::writeServer);
        Wire.writeList(out, s.rules(), L7Codec::writeRule);
    }

    private static L7Service readService(DataInput in) throws IOException {
        return new L7Service(Wire.readString(in), readEndpoint(in), Wire.readEnum(in, L7Scheduler.class),
                Wire.readEnum(in, L7Service.State.class), readOptions(in), Wire.readList(in, L7Codec::readServer),
                Wire.readList(in, L7Codec::readRule));
    }

    private static void writeSettings(DataOutput out, L7ServiceSettings s) throws IOException {
        writeEndpoint(out, s.listen());
        Wire.writeString(out, s.scheduler());
        writeOptions(out, s.options());
    }

    private static L7ServiceSettings readSettings(DataInput in) throws IOException {
        return new L7ServiceSettings(readEndpoint(in), Wire.readString(in), readOptions(in));
    }

    private static void writeOptions(DataOutput out, L7Options o) throws IOException {
        out.writeBoolean(o.forwardedFor());
        Wire.writeOptionalEnum(out, o.proxyProtocol());
        out.writeBoolean(o.source().isPresent());
        if (o.source().isPresent()) out.writeInt(o.source().getAsInt());
        Wire.writeOptionalEnum(out, o.splice());
        writeCheck(out, o.check());
    }

    private static void writeCheck(DataOutput out, L7Check c) throws IOException {
        Wire.writeOptionalEnum(out, c.kind());
        Wire.writeOptionalString(out, c.path());
        out.writeShort(c.status());
        out.writeInt(c.interval());
        out.writeInt(c.timeout());
        out.writeInt(c.retries());
    }

    private static L7Check readCheck(DataInput in) throws IOException {
        L7Check.Kind kind = Wire.readEnum(in, L7Check.Kind.class);
        String path = Wire.readOptionalString(in);
        int status = in.readUnsignedShort();
        int interval = in.readInt();
        int timeout = in.readInt();
        int retries = in.readInt();
        String problem = L7Check.problem(kind, path, status, interval, timeout, retries);
        if (problem != null) throw new ProtocolException("bad layer-7 check: " + problem);
        return new L7Check(kind, path, status, interval, timeout, retries);
    }

    private static L7Options readOptions(DataInput in) throws IOException {
        boolean forwardedFor = Wire.readFlag(in);
        L7Options.ProxyProtocol proxyProtocol = Wire.readEnum(in, L7Options.ProxyProtocol.class);
        OptionalInt source = Wire.readFlag(in) ? OptionalInt.of(in.readInt()) : OptionalInt.empty();
        L7Options.Splice splice = Wire.readEnum(in, L7Options.Splice.class);
        return new L7Options(forwardedFor, proxyProtocol, source, splice, readCheck(in));
    }

    private static void writeServer(DataOutput out, L7Server s) throws IOException {
        writeEndpoint(out, s.endpoint());
        out.writeInt(s.weight());
    }

    private static L7Server readServer(DataInput in) throws IOException {
        return new L7Server(readEndpoint(in), in.readInt());
    }

    private static void writeRule(DataOutput out, L7Rule r) throws IOException {
        Wire.writeString(out, r.pattern());
        Wire.writeOptionalString(out, r.header());
        out.writeByte(r.matchGroup());
        writeEndpoint(out, r.server());
    }

    private static L7Rule readRule(DataInput in) throws IOException {
        return new L7Rule(Wire.readString(in), Wire.readOptionalString(in), in.readUnsignedByte(), readEndpoint(in));
    }

    private static void writeEndpoint(DataOutput out, L7Endpoint e) throws IOException {
        out.writeInt(e.address());
        out.writeShort(e.port());
    }

    private static L7Endpoint readEndpoint(DataInput in) throws IOException {
        return new L7Endpoint(in.readInt(), in.readUnsignedShort());
    }
}
