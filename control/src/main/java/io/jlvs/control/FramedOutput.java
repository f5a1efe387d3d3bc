package io.jlvs.control;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The executor's stdout and stderr on a control connection: text is buffered up to a chunk and sent as frames,
 * stdout before any stderr that follows it so the client sees them in order.
 */
public final class FramedOutput {
    private final DataOutputStream out;
    public final Stream stdout = new Stream(ControlProtocol.STDOUT);
    public final Stream stderr = new Stream(ControlProtocol.STDERR);

    public FramedOutput(DataOutputStream out) {
        this.out = out;
    }

    public final class Stream implements Appendable {
        private final byte kind;
        private final StringBuilder buffer = new StringBuilder(ControlProtocol.CHUNK + 256);

        Stream(byte kind) { this.kind = kind; }

        @Override
        public Appendable append(CharSequence s) throws IOException {
            if (kind == ControlProtocol.STDERR) stdout.flush();
            buffer.append(s);
            if (buffer.length() >= ControlProtocol.CHUNK) flush();
            return this;
        }

        @Override
        public Appendable append(CharSequence s, int start, int end) throws IOException {
            return append(s.subSequence(start, end));
        }

        @Override
        public Appendable append(char c) throws IOException {
            if (kind == ControlProtocol.STDERR) stdout.flush();
            buffer.append(c);
            if (buffer.length() >= ControlProtocol.CHUNK) flush();
            return this;
        }

        void flush() throws IOException {
            if (buffer.isEmpty()) return;
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            buffer.setLength(0);
            ControlProtocol.writeFrame(out, kind, bytes, bytes.length);
        }
    }

    public void finish(int exitCode) throws IOException {
        stdout.flush();
        stderr.flush();
        byte[] code = {(byte) (exitCode >>> 24), (byte) (exitCode >>> 16), (byte) (exitCode >>> 8), (byte) exitCode};
        ControlProtocol.writeFrame(out, ControlProtocol.EXIT, code, 4);
        out.flush();
    }
}
