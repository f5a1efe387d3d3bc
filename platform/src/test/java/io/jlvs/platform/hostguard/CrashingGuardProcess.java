package io.jlvs.platform.hostguard;

import java.util.List;

/** Run as a separate JVM by HostGuardTest: installs a guard, says so, and waits to be killed with SIGKILL. */
public final class CrashingGuardProcess {
    public static void main(String[] args) throws Exception {
        HostGuard.install(List.of(args));
        System.out.println("installed");
        System.out.flush();
        Thread.sleep(120_000); // not synchronisation: a process to be killed, kept alive until HostGuardTest does
    }
}
