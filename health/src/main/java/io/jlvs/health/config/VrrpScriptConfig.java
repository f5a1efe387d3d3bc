package io.jlvs.health.config;

/**
 * A vrrp_script block: a command run every interval; it fails after fall consecutive failures (or overruns of
 * timeout) and recovers after rise consecutive successes. With weight 0 a failed script puts the instances that
 * track it in FAULT; otherwise the weight is added to their priority while the script succeeds (weight &gt; 0) or
 * while it fails (weight &lt; 0), as keepalived does. timeoutSeconds defaults to intervalSeconds; keepalived's
 * {@code weight W reverse} is refused by the parser.
 */
public record VrrpScriptConfig(String name, Source source, Script script, int intervalSeconds, int timeoutSeconds,
                               int weight, int rise, int fall) {}
