package io.jlvs.control;

import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.command.ListFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.control.protocol.ControlProtocol;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A connection listing leaves the daemon as a header and bounded batches, never as one message. */
class ConnectionStreamingTest {
    @Test
    void aLargeConnectionTableIsSentInBoundedBatches() throws IOException {
        FakeDirectorRuntime runtime = new FakeDirectorRuntime();
        runtime.syntheticConnections = 100_000;
        List<ControlReply> replies = new ArrayList<>();
        int code = new AdmExecutor(runtime).handle(new ControlRequest.Run(new AdmCommand.List(
                AdmCommand.ListWhat.CONNECTIONS, null, ListFormat.NUMERIC)), replies::add);

        assertEquals(0, code);
        assertEquals(new ControlReply.ConnectionsHeader(true, false), replies.getFirst());
        assertEquals(new ControlReply.Outcome(0), replies.getLast());
        int rows = 0;
        for (ControlReply r : replies.subList(1, replies.size() - 1)) {
            ControlReply.ConnectionBatch batch = assertInstanceOf(ControlReply.ConnectionBatch.class, r);
            assertTrue(batch.rows().size() <= ControlProtocol.CONNECTION_BATCH_ROWS, "batch of " + batch.rows().size());
            rows += batch.rows().size();
        }
        assertEquals(100_000, rows);
        assertTrue(replies.size() - 2 >= 100_000 / ControlProtocol.CONNECTION_BATCH_ROWS);
    }
}
