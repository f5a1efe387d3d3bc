package io.jlvs.health.config;

/** {@code vrrp_script NAME { script, interval, timeout, weight, rise, fall, user }} with keepalived's defaults. */
final class VrrpScriptBlock {
    private String name;
    private Source source;
    private Script script;
    private String user;
    private int interval = 1;
    private Integer timeout;
    private int weight;
    private int rise = 1, fall = 1;

    /**
     * keepalived's {@code weight W reverse} adds -W in the state where W alone would add W (and with weight 0 puts
     * the instance in FAULT while the script succeeds): the records have no such direction.
     */
    static final String REVERSE = "'reverse' is not supported by jlvs yet; invert the script's exit status and "
            + "negate the weight instead";

    private static final KeywordTable<VrrpScriptBlock> KEYWORDS = new KeywordTable<VrrpScriptBlock>("vrrp_script")
            .leaf("script", (s, b) -> b.script = Scripts.of(s, null))
            .leaf("interval", (s, b) -> b.interval = (int) Values.integer(s.value(), 1, 86400))
            .leaf("timeout", (s, b) -> b.timeout = (int) Values.integer(s.value(), 1, 86400))
            .leaf("weight", (s, b) -> {
                s.requireArgs(1, 2);
                b.weight = (int) Values.integer(s.arg(0), -253, 253);
                if (s.argCount() == 2 && s.arg(1).equals("reverse")) throw new ValueException(REVERSE);
                if (s.argCount() == 2) throw new ValueException("unexpected '" + s.arg(1) + "'");
            })
            .leaf("rise", (s, b) -> b.rise = (int) Values.integer(s.value(), 1, 1000))
            .leaf("fall", (s, b) -> b.fall = (int) Values.integer(s.value(), 1, 1000))
            .leaf("user", (s, b) -> { s.requireArgs(1, 2); b.user = String.join(" ", s.args().stream().map(Word::text).toList()); })
            .ignore("jlvs runs every script through one runner", "init_fail");

    /** The script, or null after an error (reported). */
    static VrrpScriptConfig read(Statement s, Diagnostics diagnostics) throws ValueException {
        VrrpScriptBlock b = new VrrpScriptBlock();
        b.name = s.value();
        b.source = s.source();
        int errors = diagnostics.errors().size();
        KEYWORDS.apply(s.block(), b, diagnostics);
        if (b.script == null) diagnostics.error(s.source(), "vrrp_script " + b.name + ": missing script");
        if (diagnostics.errors().size() != errors) return null;
        Script script = b.user == null ? b.script : new Script(b.script.commandLine(), b.script.argv(), b.user);
        return new VrrpScriptConfig(b.name, b.source, script, b.interval, b.timeout != null ? b.timeout : b.interval,
                b.weight, b.rise, b.fall);
    }
}
