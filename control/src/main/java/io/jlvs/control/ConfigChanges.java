package io.jlvs.control;

import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.command.RealServerSpec;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsConfigBuilder;
import io.jlvs.control.model.MarkRule;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;
import java.util.List;

/**
 * Applies the config-changing commands to a working copy, with the checks the kernel makes for ipvsadm and the
 * messages ipvsadm's ipvs_strerror gives its errno values (exit 255).
 */
public final class ConfigChanges {
    /**
     * The 14 schedulers jlvs knows, named here so that the control plane does not need the schedulers module; the
     * data plane's tests check that the registry has the same.
     */
    public static final List<String> SCHEDULERS = List.of("rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "lblc",
            "lblcr", "dh", "sh", "mh", "twos");
    static final List<String> PERSISTENCE_ENGINES = List.of("sip");

    private ConfigChanges() {}

    static void apply(IpvsConfigBuilder b, AdmCommand cmd, ForwardMethod defaultMethod) throws AdmException {
        switch (cmd) {
            case AdmCommand.AddService(ServiceConfig c) -> {
                if (b.hasService(c.key())) throw AdmException.refused("Service already exists");
                checkScheduler(c);
                b.putService(c);
            }
            case AdmCommand.EditService(ServiceConfig c) -> {
                if (!b.hasService(c.key())) throw AdmException.refused("No such service");
                checkScheduler(c);
                FullNatChecks.service(b, c);
                b.putService(c);
            }
            case AdmCommand.DeleteService(ServiceKey key) -> {
                if (!b.hasService(key)) throw AdmException.refused("No such service");
                b.removeService(key);
            }
            case AdmCommand.Clear() -> b.clear();
            case AdmCommand.AddServer(ServiceKey key, RealServerSpec spec) -> {
                if (!b.hasService(key)) throw AdmException.refused("Service not defined");
                RealServerConfig rs = resolve(key, spec, defaultMethod);
                FullNatChecks.server(b, key, rs);
                if (b.realServer(key, rs.addrHi(), rs.addrLo(), rs.port()).isPresent())
                    throw AdmException.refused("Destination already exists");
                b.putRealServer(key, rs);
            }
            case AdmCommand.EditServer(ServiceKey key, RealServerSpec spec) -> {
                if (!b.hasService(key)) throw AdmException.refused("Service not defined");
                RealServerConfig rs = resolve(key, spec, defaultMethod);
                FullNatChecks.server(b, key, rs);
                if (b.realServer(key, rs.addrHi(), rs.addrLo(), rs.port()).isEmpty())
                    throw AdmException.refused("No such destination");
                b.putRealServer(key, rs);
            }
            case AdmCommand.DeleteServer(ServiceKey key, long hi, long lo, int port) -> {
                if (!b.hasService(key)) throw AdmException.refused("Service not defined");
                if (b.realServer(key, hi, lo, port).isEmpty()) throw AdmException.refused("No such destination");
                b.removeRealServer(key, hi, lo, port);
            }
            case AdmCommand.AddMarkRule(MarkRule rule) -> {
                if (b.hasMarkRule(rule)) throw AdmException.refused("Mark rule already exists");
                b.addMarkRule(rule);
            }
            case AdmCommand.RemoveMarkRule(MarkRule rule) -> {
                if (!b.hasMarkRule(rule)) throw AdmException.refused("No such mark rule");
                b.removeMarkRule(rule);
            }
            case AdmCommand.AddLocalAddresses(ServiceKey key, List<Integer> addresses, var addresses6) ->
                    FullNatChecks.addLocalAddresses(b, key, addresses, addresses6);
            case AdmCommand.DeleteLocalAddresses(ServiceKey key, List<Integer> addresses, var addresses6) ->
                    FullNatChecks.deleteLocalAddresses(b, key, addresses, addresses6);
            default -> throw new IllegalArgumentException("not a config change: " + cmd);
        }
    }

    private static void checkScheduler(ServiceConfig c) throws AdmException {
        if (!SCHEDULERS.contains(c.scheduler()) || (c.pe() != null && !PERSISTENCE_ENGINES.contains(c.pe())))
            throw AdmException.refused("Scheduler or persistence engine not found");
    }

    /**
     * Completes a server from the command line: the runtime's default method when none was given, the service
     * port for DR and tunnel servers (ipvsadm forces it), IPIP and no checksum as tunnel defaults.
     */
    static RealServerConfig resolve(ServiceKey key, RealServerSpec s, ForwardMethod defaultMethod) throws AdmException {
        ForwardMethod method = s.method() != null ? s.method() : defaultMethod;
        int serverAf = Addresses.isV4(s.addrHi(), s.addrLo()) ? 4 : 6;
        if (s.method() == null) {
            // ipvsadm checks these once the method is known; here the default comes from the runtime
            if (method != ForwardMethod.TUNNEL && serverAf != key.af())
                throw AdmException.syntax("Different address family is allowed only for tunneling servers");
            if (s.tunnelOptions() && method != ForwardMethod.TUNNEL)
                throw AdmException.syntax("Tunnel options conflict with forward method");
            if (s.proxyProtocol() && method != ForwardMethod.FULLNAT)
                throw AdmException.syntax("--proxy-protocol is only for --fullnat real servers");
        }
        int port = s.port();
        if (!key.isFwmark() && (method == ForwardMethod.ROUTE || method == ForwardMethod.TUNNEL)) port = key.port();
        if (s.lowerThreshold() > s.upperThreshold())
            throw AdmException.refused("Numerical result out of range");   // the kernel's ERANGE
        String tunType = null, tunCsum = null;
        int tunPort = 0;
        if (method == ForwardMethod.TUNNEL) {
            tunType = s.tunType() == null ? "ipip" : s.tunType();
            if (!tunType.equals("ipip")) tunCsum = s.tunCsum() == null ? "nocsum" : s.tunCsum();
            if (tunType.equals("gue")) tunPort = s.tunPort();
        }
        return new RealServerConfig(s.addrHi(), s.addrLo(), port, method, s.weight(), s.upperThreshold(),
                s.lowerThreshold(), tunType, tunPort, tunCsum, s.proxyProtocol());
    }
}
