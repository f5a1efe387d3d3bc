package io.jlvs.failover.sync;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncSettingsTest {
    @Test
    void withoutMaxlenAMessageFillsTheSyncInterfacesMtuLessTheIpv4AndUdpHeaders() throws IOException {
        int loopbackMtu = Integer.parseInt(Files.readString(Path.of("/sys/class/net/lo/mtu")).trim());
        assertEquals(Math.max(256, loopbackMtu - 20 - 8), SyncDaemon.Settings.defaultMaxLength("lo"));
    }

    @Test
    void aSyncInterfaceThatDoesNotExistIsNamedInTheRefusal() {
        IOException e = assertThrows(IOException.class, () -> SyncDaemon.Settings.defaultMaxLength("nosuchif0"));
        assertTrue(e.getMessage().contains("nosuchif0"), e.getMessage());
    }
}
