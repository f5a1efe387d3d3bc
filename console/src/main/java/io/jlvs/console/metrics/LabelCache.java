package io.jlvs.console.metrics;

import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.protocol.ControlReply;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The label sets of the services and real servers listed, and their sort order, kept from one scrape to the next:
 * formatting addresses, building the library's label sets and sorting them are the dearest part of preparing a
 * scrape's samples, and all three change only with the configuration. A listing of the very configuration objects the last one had
 * reuses its labels outright; any other reuses what it can by service and server, builds what is new and drops
 * what is gone. What a listing publishes is immutable, so concurrent scrapes need no lock.
 */
final class LabelCache {
    record ServerKey(ServiceKey service, long addrHi, long addrLo, int port) {}

    /** A real server's labels and the place of its samples in label order among those listed (-1: not listed). */
    record RankedServer(ServerLabels labels, int rank) {}

    /**
     * What one listing labelled: its configuration objects (each service followed by its servers), the labels by
     * key, and the labels in listing order with their sort orders.
     */
    record Known(Object[] configs, Map<ServiceKey, ServiceLabels> services, Map<ServerKey, RankedServer> servers,
                 ServiceLabels[] serviceLabels, int[] serviceOrder, ServerLabels[] serverLabels, int[] serverOrder) {

        /** The labels of a service (built anew if it was not listed). */
        ServiceLabels service(ServiceKey key) {
            ServiceLabels labels = services.get(key);
            return labels != null ? labels : ServiceLabels.of(key);
        }

        /** The labels and rank of a real server (built anew, without a rank, if it was not listed). */
        RankedServer server(ServiceKey key, long addrHi, long addrLo, int port) {
            RankedServer ranked = servers.get(new ServerKey(key, addrHi, addrLo, port));
            return ranked != null ? ranked
                    : new RankedServer(ServerLabels.of(service(key).service(), addrHi, addrLo, port), -1);
        }

        /** The number of real servers listed: every rank is below it. */
        int serverCount() {
            return serverLabels.length;
        }
    }

    private static final Comparator<Object> IDENTITY = (a, b) -> a == b ? 0 : 1;

    private volatile Known known = new Known(new Object[0], Map.of(), Map.of(), new ServiceLabels[0], new int[0],
            new ServerLabels[0], new int[0]);

    /**
     * The listing with its labels. A service that cannot be labelled (a row without a key) is left out with its
     * servers; problems hears of it.
     */
    LabelledListing label(List<ControlReply.ServiceRow> rows, ScrapeProblems problems) {
        Known previous = known;
        int serverCount = 0;
        for (ControlReply.ServiceRow row : rows) serverCount += row.servers().size();
        ControlReply.ServiceRow[] services = rows.toArray(new ControlReply.ServiceRow[0]);
        ControlReply.RealServerRow[] servers = new ControlReply.RealServerRow[serverCount];
        Object[] configs = new Object[services.length + serverCount];
        int d = 0, c = 0;
        for (ControlReply.ServiceRow row : services) {
            configs[c++] = row.service();
            for (ControlReply.RealServerRow server : row.servers()) {
                configs[c++] = server.server();
                servers[d++] = server;
            }
        }
        if (Arrays.equals(configs, previous.configs(), IDENTITY)) {
            return new LabelledListing(services, previous.serviceLabels(), previous.serviceOrder(), servers,
                    previous.serverLabels(), previous.serverOrder());
        }
        return relabel(previous, configs, services, servers, problems);
    }

    /** Labels a listing whose configuration changed, reusing the labels of the services and servers it still has. */
    private LabelledListing relabel(Known previous, Object[] configs, ControlReply.ServiceRow[] services,
                                    ControlReply.RealServerRow[] servers, ScrapeProblems problems) {
        Map<ServiceKey, ServiceLabels> serviceMap = HashMap.newHashMap(services.length);
        ServerKey[] serverKeys = new ServerKey[servers.length];
        ControlReply.ServiceRow[] keptServices = new ControlReply.ServiceRow[services.length];
        ServiceLabels[] serviceLabels = new ServiceLabels[services.length];
        ControlReply.RealServerRow[] keptServers = new ControlReply.RealServerRow[servers.length];
        ServerLabels[] serverLabels = new ServerLabels[servers.length];
        int s = 0, d = 0;
        for (ControlReply.ServiceRow row : services) {
            int first = d;
            try {
                ServiceKey key = row.service().key();
                ServiceLabels service = serviceMap.computeIfAbsent(key, k -> {
                    ServiceLabels seen = previous.services().get(k);
                    return seen != null ? seen : ServiceLabels.of(k);
                });
                for (ControlReply.RealServerRow server : row.servers()) {
                    RealServerConfig config = server.server();
                    ServerKey serverKey = new ServerKey(key, config.addrHi(), config.addrLo(), config.port());
                    RankedServer seen = previous.servers().get(serverKey);
                    ServerLabels labels = seen != null ? seen.labels()
                            : ServerLabels.of(service.service(), config.addrHi(), config.addrLo(), config.port());
                    serverKeys[d] = serverKey;
                    keptServers[d] = server;
                    serverLabels[d++] = labels;
                }
                keptServices[s] = row;
                serviceLabels[s++] = service;
            } catch (RuntimeException e) {
                d = first;
                problems.report("a service of the listing could not be labelled", e);
            }
        }
        keptServices = Arrays.copyOf(keptServices, s);
        serviceLabels = Arrays.copyOf(serviceLabels, s);
        keptServers = Arrays.copyOf(keptServers, d);
        serverLabels = Arrays.copyOf(serverLabels, d);
        // A change of weights alone makes new configuration objects but keeps every label set: keep the orders.
        int[] serviceOrder = Arrays.equals(serviceLabels, previous.serviceLabels(), IDENTITY)
                ? previous.serviceOrder() : order(serviceLabels, ServiceLabels::service);
        int[] serverOrder = Arrays.equals(serverLabels, previous.serverLabels(), IDENTITY)
                ? previous.serverOrder() : order(serverLabels, ServerLabels::server);
        Map<ServerKey, RankedServer> serverMap = HashMap.newHashMap(d);
        for (int rank = 0; rank < d; rank++) {
            int i = serverOrder[rank];
            serverMap.put(serverKeys[i], new RankedServer(serverLabels[i], rank));
        }
        boolean complete = s == services.length && d == servers.length;
        known = new Known(complete ? configs : new Object[0], serviceMap, serverMap, serviceLabels, serviceOrder,
                serverLabels, serverOrder);
        return new LabelledListing(keptServices, serviceLabels, serviceOrder, keptServers, serverLabels,
                serverOrder);
    }

    /** What the last listing labelled, for the samples of other requests about the same services and servers. */
    Known known() {
        return known;
    }

    /** The indices of items in the order of their label sets. */
    private static <T> int[] order(T[] items, Function<T, Labels> labels) {
        return IntStream.range(0, items.length).boxed()
                .sorted(Comparator.comparing(i -> labels.apply(items[i])))
                .mapToInt(Integer::intValue).toArray();
    }
}
