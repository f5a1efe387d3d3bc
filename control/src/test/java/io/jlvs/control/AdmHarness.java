package io.jlvs.control;

import io.jlvs.control.model.Addresses;

/** Runs command lines through an executor over a fake runtime and keeps the output. */
public final class AdmHarness {
    final FakeDirectorRuntime runtime = new FakeDirectorRuntime();
    final AdmExecutor executor;
    String out, err;
    int code;

    AdmHarness() {
        this(new FixedNames());
    }

    AdmHarness(NameResolver names) {
        executor = new AdmExecutor(runtime, names);
    }

    /** Runs a command line split on spaces. */
    int run(String line) {
        return runArgs(line.isBlank() ? new String[0] : line.trim().split("\\s+"), "");
    }

    int runArgs(String[] argv, String stdin) {
        StringBuilder o = new StringBuilder(), e = new StringBuilder();
        code = executor.execute(argv, stdin, o, e);
        out = o.toString();
        err = e.toString();
        return code;
    }

    /** Runs and fails the test when the command does not succeed. */
    AdmHarness ok(String line) {
        if (run(line) != 0) throw new AssertionError("`" + line + "` exited " + code + ": " + err);
        return this;
    }

    int restore(String text) {
        return runArgs(new String[] {"-R"}, text);
    }

    /** Names for tests without -n: a few fixed host and port names, numbers otherwise; no DNS. */
    public static final class FixedNames implements NameResolver {
        @Override
        public String hostName(long hi, long lo) {
            String numeric = Addresses.format(hi, lo);
            return switch (numeric) {
                case "207.175.44.110" -> "www.example.com";
                case "192.168.10.1" -> "rs1.example.com";
                case "10.0.0.1" -> "a-very-long-host-name-for-truncation.example.com";
                default -> numeric;
            };
        }

        @Override
        public String portName(int port, String proto) {
            if (!proto.equals("tcp") && !proto.equals("udp")) return null;
            return switch (port) {
                case 80 -> "http";
                case 53 -> "domain";
                default -> null;
            };
        }
    }
}
