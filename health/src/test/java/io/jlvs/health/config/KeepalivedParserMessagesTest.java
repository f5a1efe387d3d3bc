package io.jlvs.health.config;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Small files and exactly the errors and warnings each gives, as FILE:LINE: message. */
class KeepalivedParserMessagesTest {
    @TempDir
    Path dir;

    private static final String VS = "virtual_server 10.0.0.1 80 {\n";

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("good TCP_CHECK", VS + " real_server 10.0.0.2 80 {\n  TCP_CHECK {\n   connect_timeout 3\n  }\n }\n}\n",
                        List.of()),
                arguments("good HTTP_GET", VS + " lvs_sched rr\n real_server 10.0.0.2 80 {\n  HTTP_GET {\n   url {\n    path /\n    status_code 200-299 401\n   }\n  }\n }\n}\n",
                        List.of()),
                arguments("weight out of range", VS + " real_server 10.0.0.2 80 {\n  weight 70000\n }\n}\n",
                        List.of("keepalived.conf:3: weight: 70000 is out of range 0..65535")),
                arguments("weight not a number", VS + " real_server 10.0.0.2 80 {\n  weight heavy\n }\n}\n",
                        List.of("keepalived.conf:3: weight: 'heavy' is not a whole number")),
                arguments("missing value", VS + " delay_loop\n}\n",
                        List.of("keepalived.conf:2: delay_loop: missing value")),
                arguments("extra value", VS + " delay_loop 5 6\n}\n",
                        List.of("keepalived.conf:2: delay_loop: unexpected '6'")),
                arguments("bad time", VS + " delay_loop soon\n}\n",
                        List.of("keepalived.conf:2: delay_loop: 'soon' is not a time in seconds")),
                arguments("zero delay_loop", VS + " delay_loop 0\n}\n",
                        List.of("keepalived.conf:2: delay_loop: must be more than 0 seconds")),
                arguments("syn_proxy on UDP", "virtual_server 10.0.0.1 53 {\n protocol UDP\n syn_proxy\n}\n",
                        List.of("keepalived.conf:3: syn_proxy: only for TCP virtual servers")),
                arguments("syn_proxy takes no value", VS + " syn_proxy on\n}\n",
                        List.of("keepalived.conf:2: syn_proxy: unexpected 'on'")),
                arguments("bad address", "virtual_server 10.0.0.300 80 {\n}\n",
                        List.of("keepalived.conf:1: virtual_server: '10.0.0.300' is not an IP address")),
                arguments("bad real server address", VS + " real_server web1 80 {\n }\n}\n",
                        List.of("keepalived.conf:2: real_server: 'web1' is not an IP address")),
                arguments("bad port", VS + " real_server 10.0.0.2 65536 {\n }\n}\n",
                        List.of("keepalived.conf:2: real_server: 65536 is out of range 0..65535")),
                arguments("duplicate real server", VS + " real_server 10.0.0.2 80 {\n }\n real_server 10.0.0.2 80 {\n }\n}\n",
                        List.of("keepalived.conf:4: real_server 10.0.0.2 80: already defined at line 2")),
                arguments("family mismatch", VS + " real_server 2001:db8::2 80 {\n }\n}\n",
                        List.of("keepalived.conf:2: real_server 2001:db8::2 80: an IPv6 server in an IPv4 service (only lvs_method TUN may mix families)")),
                arguments("unknown keyword with suggestion", VS + " real_server 10.0.0.2 80 {\n  wieght 2\n }\n}\n",
                        List.of("keepalived.conf:3: wieght: unknown keyword in real_server; did you mean weight?")),
                arguments("unknown keyword without suggestion", VS + " frobnicate\n}\n",
                        List.of("keepalived.conf:2: frobnicate: unknown keyword in virtual_server")),
                arguments("unclosed brace", VS + " real_server 10.0.0.2 80 {\n  weight 2\n}\n",
                        List.of("keepalived.conf:1: virtual_server: '{' is never closed")),
                arguments("extra brace", VS + "}\n}\n",
                        List.of("keepalived.conf:3: unexpected '}' without a matching '{'")),
                arguments("block needed", "virtual_server 10.0.0.1 80\n",
                        List.of("keepalived.conf:1: virtual_server: needs a { } block")),
                arguments("no block taken", VS + " weight 1 {\n }\n}\n",
                        List.of("keepalived.conf:2: weight: unknown keyword in virtual_server")),
                arguments("leaf with a block", VS + " delay_loop 5 {\n }\n}\n",
                        List.of("keepalived.conf:2: delay_loop: takes no { } block")),
                arguments("unknown scheduler", VS + " lvs_sched fastest\n}\n",
                        List.of("keepalived.conf:2: lvs_sched: unknown scheduler 'fastest'; jlvs has rr, wrr, lc, wlc, sed, nq, fo, ovf, lblc, lblcr, dh, sh, mh, twos")),
                arguments("SCTP", VS + " protocol SCTP\n}\n",
                        List.of("keepalived.conf:2: protocol: SCTP is not supported by jlvs's health checks yet; use TCP or UDP")),
                arguments("bad method", VS + " lb_kind FULLNAT\n}\n",
                        List.of("keepalived.conf:2: lb_kind: 'FULLNAT' is not a forwarding method (NAT, DR, TUN)")),
                arguments("gue without port", VS + " lvs_method TUN gue\n}\n",
                        List.of("keepalived.conf:2: lvs_method: gue needs 'port N'")),
                arguments("undefined group", "virtual_server group WEB {\n}\n",
                        List.of("keepalived.conf:1: virtual_server group WEB: no virtual_server_group named WEB")),
                arguments("service twice", VS + "}\n" + VS + "}\n",
                        List.of("keepalived.conf:3: virtual_server 10.0.0.1 80: TCP 10.0.0.1:80 is already defined at line 1")),
                arguments("service twice through a group", "virtual_server_group G {\n 10.0.0.1-2 80\n}\n"
                                + "virtual_server group G {\n}\nvirtual_server 10.0.0.2 80 {\n}\n",
                        List.of("keepalived.conf:6: virtual_server 10.0.0.2 80: TCP 10.0.0.2:80 is already defined at line 4")),
                arguments("bad range", "virtual_server_group G {\n 10.0.0.9-3 80\n}\n",
                        List.of("keepalived.conf:2: virtual_server_group G: range 10.0.0.9-3 must end between 9 and 255")),
                arguments("bfd refused", "bfd_instance b {\n}\n",
                        List.of("keepalived.conf:1: bfd_instance: BFD is not supported by this jlvs yet; run keepalived for BFD or remove the block")),
                arguments("BFD_CHECK refused", VS + " real_server 10.0.0.2 80 {\n  BFD_CHECK {\n  }\n }\n}\n",
                        List.of("keepalived.conf:3: BFD_CHECK: BFD is not supported by this jlvs yet; remove the checker or run keepalived")),
                arguments("unknown global", "global_defs {\n router_idd r1\n}\n",
                        List.of("keepalived.conf:2: router_idd: unknown keyword in global_defs; did you mean router_id?")),
                arguments("undefined parameter", "$PORT=80\nvirtual_server 10.0.0.1 $PROT {\n}\n",
                        List.of("keepalived.conf:2: $PROT: not defined (define it with $PROT=VALUE first)")),
                arguments("missing include", "include conf.d/*.conf\n",
                        List.of("keepalived.conf:1: include: no file matches conf.d/*.conf")),
                arguments("url without path", VS + " real_server 10.0.0.2 80 {\n  HTTP_GET {\n   url {\n    digest 0123456789abcdef0123456789abcdef\n   }\n  }\n }\n}\n",
                        List.of("keepalived.conf:4: url: missing path", "keepalived.conf:3: HTTP_GET: needs at least one url block")),
                arguments("bad status code", VS + " real_server 10.0.0.2 80 {\n  HTTP_GET {\n   url {\n    path /\n    status_code 200-700\n   }\n  }\n }\n}\n",
                        List.of("keepalived.conf:6: status_code: 700 is out of range 100..599")),
                arguments("bad regex", VS + " real_server 10.0.0.2 80 {\n  HTTP_GET {\n   url {\n    path /\n    regex \"(\"\n   }\n  }\n }\n}\n",
                        List.of("keepalived.conf:6: regex: '(' is not a regular expression: Unclosed group")),
                arguments("bad digest", VS + " real_server 10.0.0.2 80 {\n  HTTP_GET {\n   url {\n    path /\n    digest abc\n   }\n  }\n }\n}\n",
                        List.of("keepalived.conf:6: digest: 'abc' is not an MD5 digest (32 hex digits)")),
                arguments("bad http_protocol", VS + " real_server 10.0.0.2 80 {\n  HTTP_GET {\n   http_protocol 2\n   url {\n    path /\n   }\n  }\n }\n}\n",
                        List.of("keepalived.conf:4: http_protocol: '2' is not an HTTP protocol (1.0, 1.1, 1.0C, 1.0K)")),
                arguments("bad payload", VS + " real_server 10.0.0.2 80 {\n  UDP_CHECK {\n   payload 0g\n  }\n }\n}\n",
                        List.of("keepalived.conf:4: payload: '0g' is not hex bytes (two hex digits per byte)")),
                arguments("bad dns type", VS + " real_server 10.0.0.2 80 {\n  DNS_CHECK {\n   type PTR\n  }\n }\n}\n",
                        List.of("keepalived.conf:4: type: 'PTR' is not a DNS query type (A, NS, CNAME, SOA, MX, TXT, AAAA)")),
                arguments("misc without path", VS + " real_server 10.0.0.2 80 {\n  MISC_CHECK {\n   misc_timeout 3\n  }\n }\n}\n",
                        List.of("keepalived.conf:3: MISC_CHECK: missing misc_path")),
                arguments("MISC_CHECK takes no connect_timeout", VS + " real_server 10.0.0.2 80 {\n  MISC_CHECK {\n   misc_path /bin/true\n   connect_timeout 3\n  }\n }\n}\n",
                        List.of("keepalived.conf:5: connect_timeout: unknown keyword in MISC_CHECK")),
                arguments("undefined track_file", VS + " real_server 10.0.0.2 80 {\n  FILE_CHECK {\n   track_file T\n  }\n }\n}\n",
                        List.of("keepalived.conf:3: FILE_CHECK: no track_file block named T")),
                arguments("thresholds", VS + " real_server 10.0.0.2 80 {\n  uthreshold 10\n  lthreshold 20\n }\n}\n",
                        List.of("keepalived.conf:2: real_server 10.0.0.2 80: lthreshold 20 exceeds uthreshold 10")),
                arguments("granularity", VS + " persistence_timeout\n persistence_granularity 255.255.0.256\n}\n",
                        List.of("keepalived.conf:3: persistence_granularity: '255.255.0.256' is not an IPv4 netmask")),
                arguments("flap hold", "global_defs {\n flap_hold 120\n flap_max_hold 60\n}\n",
                        List.of("keepalived.conf:3: flap_hold: 120 s exceeds flap_max_hold 60 s")),
                arguments("unterminated quote", VS + " quorum_up \"/bin/up\n}\n",
                        List.of("keepalived.conf:2: unterminated quoted string")),
                arguments("every error is reported", VS + " quorum 0\n hysteresis -1\n real_server 10.0.0.2 80 {\n  weight -1\n }\n}\n",
                        List.of("keepalived.conf:2: quorum: 0 is out of range 1..2147483647",
                                "keepalived.conf:3: hysteresis: -1 is out of range 0..2147483647",
                                "keepalived.conf:5: weight: -1 is out of range 0..65535")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errors(String name, String text, List<String> expected) {
        ConfigFiles.assertErrors(dir, text, expected);
    }

    static Stream<Arguments> warnings() {
        return Stream.of(
                arguments("mail", "global_defs {\n notification_email {\n  ops@example.com\n }\n smtp_server 10.0.0.9\n router_id r1\n}\n",
                        List.of("keepalived.conf:2: notification_email: ignored, jlvs does not send mail",
                                "keepalived.conf:5: smtp_server: ignored, jlvs does not send mail")),
                arguments("fast_recovery", VS + " real_server 10.0.0.2 80 {\n  HTTP_GET {\n   fast_recovery\n   url {\n    path /\n   }\n  }\n }\n}\n",
                        List.of("keepalived.conf:4: fast_recovery: ignored, jlvs always rechecks a failed server at delay_before_retry")),
                arguments("real server alpha", VS + " real_server 10.0.0.2 80 {\n  alpha\n }\n}\n",
                        List.of("keepalived.conf:3: alpha: ignored, the virtual server's alpha applies to all its real servers")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("warnings")
    void warnings(String name, String text, List<String> expected) throws ConfigException {
        KeepalivedConfig config = ConfigFiles.parse(dir, text);
        assertEquals(expected, ConfigFiles.render(config.warnings()));
    }
}
