package io.jlvs.announce;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.FakeDirectorRuntime;
import io.jlvs.control.model.IpvsConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A director's desired state made with jlvsadm command lines. */
final class Directors {
    final FakeDirectorRuntime runtime = new FakeDirectorRuntime();
    private final AdmExecutor executor = new AdmExecutor(runtime);

    Directors adm(String line) {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        assertEquals(0, executor.execute(line.split(" "), out, err), () -> line + ": " + err);
        return this;
    }

    IpvsConfig config() { return runtime.config(); }
}
