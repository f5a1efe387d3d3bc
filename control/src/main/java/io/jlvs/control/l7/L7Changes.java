package io.jlvs.control.l7;

import java.util.List;

/**
 * Applies a changing {@link L7Command} to a config and returns the new one, with KTCPVS's refusals in
 * libtcpvs's words ("No such service", "Destination already exists", ...) and jlvs's own for what KTCPVS did
 * not check. A refusal (exit 255) leaves the given config as it was: configs are immutable.
 */
public final class L7Changes {
    private L7Changes() {}

    public static L7Config apply(L7Config config, L7Command command) throws L7Exception {
        L7ConfigBuilder b = config.toBuilder();
        apply(b, command);
        return b.build();
    }

    /** Applies command to a config being built (the config file's commands accumulate in one builder). */
    static void apply(L7ConfigBuilder b, L7Command command) throws L7Exception {
        switch (command) {
            case L7Command.AddService c -> {
                if (b.service(c.ident()) != null) throw L7Exception.refused("Service already exists");
                L7ServiceBuilder service = new L7ServiceBuilder(c.ident());
                settle(b, service, c.settings());
                b.put(service);
            }
            case L7Command.EditService c -> settle(b, service(b, c.ident(), "No such service"), c.settings());
            case L7Command.DeleteService c -> {
                L7ServiceBuilder service = service(b, c.ident(), "No such service");
                if (service.state() == L7Service.State.STARTED)
                    throw L7Exception.refused("Service is running: stop it before deleting it");
                b.remove(c.ident());
            }
            case L7Command.Flush c -> b.clear();
            case L7Command.AddServer c -> {
                L7ServiceBuilder service = service(b, c.ident(), "Service not defined");
                if (indexOfServer(service, c.server().endpoint()) >= 0)
                    throw L7Exception.refused("Destination already exists");
                service.server(c.server());
            }
            case L7Command.EditServer c -> {
                L7ServiceBuilder service = service(b, c.ident(), "Service not defined");
                int i = indexOfServer(service, c.server().endpoint());
                if (i < 0) throw L7Exception.refused("No such destination");
                service.servers().set(i, c.server());
            }
            case L7Command.DeleteServer c -> {
                L7ServiceBuilder service = service(b, c.ident(), "Service not defined");
                int i = indexOfServer(service, c.server());
                if (i < 0) throw L7Exception.refused("No such destination");
                for (L7Rule r : service.rules()) {
                    if (r.server().equals(c.server()))
                        throw L7Exception.refused("Destination is busy: a rule uses it, delete the rule first");
                }
                service.servers().remove(i);
            }
            case L7Command.AddRule c -> addRule(service(b, c.ident(), "Service not defined"), c.rule());
            case L7Command.DeleteRule c -> {
                L7ServiceBuilder service = service(b, c.ident(), "Service not defined");
                boolean removed = service.rules().removeIf(r -> r.sameMatch(c.rule()) && r.server().equals(c.rule().server()));
                if (!removed) throw L7Exception.refused("No such rule");
            }
            case L7Command.Start c -> setState(b, c.ident(), L7Service.State.STARTED);
            case L7Command.Stop c -> setState(b, c.ident(), L7Service.State.STOPPED);
            case L7Command.Load c -> load(b, c.config());
            case L7Command.List c -> throw notAChange(c);
            case L7Command.LoadFile c -> throw notAChange(c);
            case L7Command.Help c -> throw notAChange(c);
            case L7Command.Version c -> throw notAChange(c);
        }
    }

    private static IllegalArgumentException notAChange(L7Command command) {
        return new IllegalArgumentException(command + " changes no configuration");
    }

    private static L7ServiceBuilder service(L7ConfigBuilder b, String ident, String missing) throws L7Exception {
        L7ServiceBuilder service = b.service(ident);
        if (service == null) throw L7Exception.refused(missing);
        return service;
    }

    /** -A and -E: the scheduler must exist and the listen address must be free of the other services. */
    private static void settle(L7ConfigBuilder b, L7ServiceBuilder service, L7ServiceSettings settings)
            throws L7Exception {
        L7Scheduler scheduler = L7Scheduler.byName(settings.scheduler());
        if (scheduler == null) throw L7Exception.refused("Scheduler not found");
        for (L7ServiceBuilder other : b.services()) {
            if (other != service && overlaps(other.listen(), settings.listen()))
                throw L7Exception.refused("Address already in use by service " + other.ident());
        }
        service.listen(settings.listen()).scheduler(scheduler).options(settings.options());
    }

    /** Whether two services could not both listen: one port, and one address or a wildcard. */
    static boolean overlaps(L7Endpoint a, L7Endpoint b) {
        return a.port() == b.port() && (a.address() == b.address() || a.isWildcard() || b.isWildcard());
    }

    private static int indexOfServer(L7ServiceBuilder service, L7Endpoint endpoint) {
        List<L7Server> servers = service.servers();
        for (int i = 0; i < servers.size(); i++) {
            if (servers.get(i).endpoint().equals(endpoint)) return i;
        }
        return -1;
    }

    /**
     * A rule goes after the others, but before the catch-all URL rules, which stay last. Its server must be one
     * of the service's; a rule that joins the servers of an existing match must take that match's number.
     */
    private static void addRule(L7ServiceBuilder service, L7Rule rule) throws L7Exception {
        String error = L7Patterns.ruleError(rule.pattern(), rule.header(), rule.matchGroup());
        if (error != null) throw L7Exception.refused(error);
        if (indexOfServer(service, rule.server()) < 0)
            throw L7Exception.refused("No such destination: " + rule.server() + " is not a server of the service");
        List<L7Rule> rules = service.rules();
        for (L7Rule r : rules) {
            if (!r.sameMatch(rule)) continue;
            if (r.server().equals(rule.server())) throw L7Exception.refused("Rule already exists");
            if (r.matchGroup() != rule.matchGroup())
                throw L7Exception.refused("match number " + rule.matchGroup() + " differs from the match number "
                        + r.matchGroup() + " of the rule's other servers");
        }
        int at = rules.size();
        if (!rule.isCatchAll()) {
            while (at > 0 && rules.get(at - 1).isCatchAll()) at--;
        }
        rules.add(at, rule);
    }

    private static void setState(L7ConfigBuilder b, String ident, L7Service.State state) throws L7Exception {
        if (ident == null) {
            for (L7ServiceBuilder s : b.services()) s.state(state);
        } else {
            service(b, ident, "No such service").state(state);
        }
    }

    /**
     * -f: the table becomes config's services, each checked as the commands that make it would be; services that
     * were started and come again stay started.
     */
    private static void load(L7ConfigBuilder b, L7Config config) throws L7Exception {
        L7ConfigBuilder next = new L7ConfigBuilder();
        for (L7Service s : config.services()) {
            String identError = L7Service.identError(s.ident());
            if (identError != null) throw L7Exception.refused(identError + ": " + s.ident());
            apply(next, new L7Command.AddService(s.ident(),
                    new L7ServiceSettings(s.listen(), s.scheduler().schedulerName(), s.options())));
            for (L7Server server : s.servers()) apply(next, new L7Command.AddServer(s.ident(), server));
            for (L7Rule rule : s.rules()) apply(next, new L7Command.AddRule(s.ident(), rule));
            L7ServiceBuilder running = b.service(s.ident());
            if (running != null && running.state() == L7Service.State.STARTED)
                next.service(s.ident()).state(L7Service.State.STARTED);
        }
        b.clear();
        for (L7ServiceBuilder s : next.services()) b.put(s);
    }
}
