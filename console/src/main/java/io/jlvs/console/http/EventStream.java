package io.jlvs.console.http;

import io.jlvs.console.RecentEvents;

import io.jlvs.console.api.DirectorRequests;
import io.jlvs.console.api.JsonViews;
import io.jlvs.console.api.StatsView;
import io.jlvs.control.model.IpvsConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * GET /api/v1/events: server-sent events to every open console. Once a second, when anyone listens, one
 * {@code stats} event is built and written to all of them, and a {@code change} event when the desired state is
 * no longer the one of the last tick (whoever changed it), and a {@code log} event with the log events since the
 * last tick. A client whose socket buffer is full misses events
 * rather than growing the daemon's memory.
 */
final class EventStream {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

    private final ChannelGroup listeners = new DefaultChannelGroup("jlvs-events", GlobalEventExecutor.INSTANCE);
    private final DirectorRequests director;
    private final StatsView stats;
    private final RecentEvents log;
    private IpvsConfig lastConfig;
    private long lastLogged;

    EventStream(DirectorRequests director, StatsView stats, RecentEvents log) {
        this.director = director;
        this.stats = stats;
        this.log = log;
        this.lastLogged = log.last();
    }

    void add(Channel channel) {
        listeners.add(channel);
    }

    int listeners() { return listeners.size(); }

    /** One tick: runs on the console's request threads, never on an event loop. */
    void tick() {
        try {
            IpvsConfig config = director.executor().config();
            boolean changed = lastConfig != null && !config.equals(lastConfig);
            lastConfig = config;
            if (listeners.isEmpty()) return;
            if (changed) {
                var body = JsonViews.MAPPER.createObjectNode().put("config", director.rules());
                send("change", JsonViews.MAPPER.writeValueAsString(body));
            }
            var logged = log.after(lastLogged);
            if (!logged.isEmpty()) {
                lastLogged = logged.getLast().seq();
                send("log", JsonViews.MAPPER.writeValueAsString(logged));
            }
            send("stats", JsonViews.MAPPER.writeValueAsString(stats.snapshot()));
        } catch (Exception e) {
            LOG.warn("console events: {}", e.toString());
        }
    }

    private void send(String event, String json) {
        byte[] frame = ("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
        var buffer = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(frame));
        for (Channel c : listeners) {
            if (c.isWritable()) {
                c.writeAndFlush(buffer.duplicate()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
        }
    }

    void close() {
        listeners.close();
    }
}
