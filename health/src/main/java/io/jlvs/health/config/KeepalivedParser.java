package io.jlvs.health.config;

import io.jlvs.control.model.ServiceKey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads keepalived.conf (with its includes and $NAME parameters) into a {@link KeepalivedConfig}: global_defs,
 * virtual_server_group, track_file and virtual_server blocks, and the VRRP part (vrrp_instance, vrrp_script,
 * vrrp_sync_group). BFD, process tracking, GARP groups and static address blocks are refused with an error rather
 * than dropped; every error in the file is reported, not only the first.
 */
public final class KeepalivedParser {
    private static final String VRRP = GlobalDefsBlock.VRRP_REFUSAL;

    /** The top level's state while its statements are applied; virtual servers resolve once all is read. */
    private static final class TopLevel {
        final Diagnostics diagnostics;
        GlobalDefsBlock global;
        Source globalSource;
        final List<VrrpInstanceBlock> vrrpInstances = new ArrayList<>();
        final List<VrrpScriptConfig> vrrpScripts = new ArrayList<>();
        final List<VrrpSyncGroupBlock.Read> vrrpSyncGroups = new ArrayList<>();
        final VirtualServerGroups groups = new VirtualServerGroups();
        final TrackFiles trackFiles = new TrackFiles();
        final List<VirtualServerBlock> virtualServers = new ArrayList<>();

        TopLevel(Diagnostics diagnostics) {
            this.diagnostics = diagnostics;
        }
    }

    private static final KeywordTable<TopLevel> KEYWORDS = new KeywordTable<TopLevel>("the top level")
            .block("global_defs", (s, t) -> {
                if (t.globalSource != null)
                    throw new ValueException("already given at " + Diagnostics.where(t.globalSource, s.source()));
                t.globalSource = s.source();
                t.global = GlobalDefsBlock.readBlock(s, t.diagnostics);
            })
            .block("vrrp_instance", (s, t) -> t.vrrpInstances.add(VrrpInstanceBlock.read(s, t.diagnostics)))
            .block("vrrp_script", (s, t) -> {
                VrrpScriptConfig script = VrrpScriptBlock.read(s, t.diagnostics);
                if (script != null) t.vrrpScripts.add(script);
            })
            .block("vrrp_sync_group", (s, t) -> t.vrrpSyncGroups.add(VrrpSyncGroupBlock.read(s, t.diagnostics)))
            .block("virtual_server_group", (s, t) -> t.groups.define(s, t.diagnostics))
            .block("track_file", (s, t) -> t.trackFiles.define(s, t.diagnostics))
            .block("virtual_server", (s, t) -> t.virtualServers.add(VirtualServerBlock.read(s, t.diagnostics)))
            .refuse("BFD is not supported by this jlvs yet; run keepalived for BFD or remove the block", "bfd_instance")
            .refuse("not supported by jlvs; configure addresses, routes and rules with ip(8)",
                    "static_ipaddress", "static_routes", "static_rules")
            .refuse("process tracking is not supported by jlvs; track the process with a vrrp_script "
                    + "(e.g. script \"pgrep -x NAME\") in track_script", "vrrp_track_process", "track_process")
            .refuse("GARP groups are not supported by jlvs; set garp_master_refresh and vrrp_garp_interval instead",
                    "garp_group")
            .refuse("not supported by jlvs; jlvs watches interfaces through netlink", "linkbeat_interfaces")
            .refuse("static track groups are not supported by jlvs (it has no static addresses)", "track_group")
            .refuse("jlvs acts on interface changes at once and cannot delay them; remove it",
                    "interface_up_down_delays")
            .ignore("jlvs's SSL_GET does not present client certificates", "SSL")
            .refuseWhen(k -> k.startsWith("vrrp_") ? VRRP : null);

    private KeepalivedParser() {}

    /** The configuration in file, or every error found in it. */
    public static KeepalivedConfig parse(Path file) throws ConfigException {
        ParseReport report = check(file);
        if (!report.ok()) throw new ConfigException(report.errors());
        return report.config();
    }

    /** No virtual servers, default global_defs (flap damping off). */
    public static KeepalivedConfig empty() {
        return new KeepalivedConfig(GlobalDefsBlock.defaults(), List.of(), List.of());
    }

    /** Everything wrong with file and everything ignored in it, and the configuration when it has no errors. */
    public static ParseReport check(Path file) {
        Diagnostics diagnostics = new Diagnostics();
        List<Statement> statements = StatementParser.parse(ConfigLexer.read(file, diagnostics), diagnostics);
        TopLevel top = new TopLevel(diagnostics);
        KEYWORDS.apply(statements, top, diagnostics);
        Map<ServiceKey, Source> services = new HashMap<>();
        List<VirtualServer> virtualServers = new ArrayList<>();
        for (VirtualServerBlock block : top.virtualServers) {
            VirtualServer vs = block.resolve(top.groups, top.trackFiles, services);
            if (vs != null) virtualServers.add(vs);
        }
        GlobalDefs global = top.global != null ? top.global.globalDefs(diagnostics) : GlobalDefsBlock.defaults();
        VrrpGlobalDefs vrrpDefs = top.global != null ? top.global.vrrp() : new VrrpGlobalDefs();
        List<VrrpInstanceConfig> instances = VrrpResolver.instances(top.vrrpInstances, vrrpDefs.globals(),
                vrrpDefs.instanceDefaults(), top.vrrpScripts, diagnostics);
        List<VrrpSyncGroupConfig> groups = VrrpResolver.groups(top.vrrpSyncGroups, top.vrrpInstances, diagnostics);
        VrrpGlobals vrrp = VrrpResolver.syncDaemon(vrrpDefs.globals(), vrrpDefs, top.vrrpInstances, diagnostics);
        KeepalivedConfig config = diagnostics.hasErrors() ? null
                : new KeepalivedConfig(global, virtualServers, diagnostics.warnings(), vrrp, instances,
                        top.vrrpScripts, groups);
        return new ParseReport(diagnostics.errors(), diagnostics.warnings(), config);
    }
}
