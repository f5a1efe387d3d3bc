package io.jlvs.control.l7;

import java.util.ArrayList;
import java.util.List;

/** A service being changed: its settings and mutable lists of servers and rules; build() makes the record. */
public final class L7ServiceBuilder {
    private final String ident;
    private L7Endpoint listen = L7Endpoint.any(L7Service.DEFAULT_PORT);
    private L7Scheduler scheduler = L7Scheduler.DEFAULT;
    private L7Service.State state = L7Service.State.STOPPED;
    private L7Options options = L7Options.DEFAULT;
    private final List<L7Server> servers = new ArrayList<>();
    private final List<L7Rule> rules = new ArrayList<>();

    /** A new service with tcpvsadm's defaults: 0.0.0.0:8080, http, stopped, no servers or rules. */
    public L7ServiceBuilder(String ident) {
        this.ident = ident;
    }

    L7ServiceBuilder(L7Service service) {
        this(service.ident());
        listen = service.listen();
        scheduler = service.scheduler();
        state = service.state();
        options = service.options();
        servers.addAll(service.servers());
        rules.addAll(service.rules());
    }

    public String ident() { return ident; }

    public L7Endpoint listen() { return listen; }

    public L7ServiceBuilder listen(L7Endpoint listen) {
        this.listen = listen;
        return this;
    }

    public L7ServiceBuilder scheduler(L7Scheduler scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    public L7Service.State state() { return state; }

    public L7ServiceBuilder state(L7Service.State state) {
        this.state = state;
        return this;
    }

    public L7ServiceBuilder options(L7Options options) {
        this.options = options;
        return this;
    }

    /** The servers in order, to be changed in place. */
    public List<L7Server> servers() { return servers; }

    /** The rules in order, to be changed in place. */
    public List<L7Rule> rules() { return rules; }

    public L7ServiceBuilder server(L7Server server) {
        servers.add(server);
        return this;
    }

    public L7ServiceBuilder rule(L7Rule rule) {
        rules.add(rule);
        return this;
    }

    public L7Service build() {
        return new L7Service(ident, listen, scheduler, state, options, servers, rules);
    }
}
