package io.jlvs.control.l7;

/** tcpvsadm's -h text, with the jlvs options, and its -v line. */
public final class L7UsageText {
    private L7UsageText() {}

    public static String version() {
        return TcpvsadmParser.PROGRAM + " v" + L7Listing.VERSION
                + " (KTCPVS command language, jlvs layer-7 proxy)\n";
    }

    public static String text() {
        String p = TcpvsadmParser.PROGRAM;
        return version()
                + "Usage:\n"
                + "  " + p + " -A|E -i ident [-s scheduler] [-P port] [-l address[:port]] [service-options]\n"
                + "  " + p + " -D -i ident\n"
                + "  " + p + " -F\n"
                + "  " + p + " -a|e -i ident -r server-address [-w weight]\n"
                + "  " + p + " -d -i ident -r server-address\n"
                + "  " + p + " --add-rule -i ident [--header name] -p pattern -r server-address [-m match-num]\n"
                + "  " + p + " --del-rule -i ident [--header name] -p pattern -r server-address\n"
                + "  " + p + " -L [-n] [-i ident] [--stats]\n"
                + "  " + p + " -f config-file\n"
                + "  " + p + " --start|stop [-i ident]\n"
                + "  " + p + " -h|-v\n\n"
                + "Commands:\n"
                + "Either long or short options are allowed.\n"
                + "  --add-service     -A        add virtual service with options\n"
                + "  --edit-service    -E        edit virtual service with options\n"
                + "  --delete-service  -D        delete virtual service\n"
                + "  --flush           -F        flush the whole table\n"
                + "  --add-server      -a        add real server with options\n"
                + "  --edit-server     -e        edit real server with options\n"
                + "  --delete-server   -d        delete real server\n"
                + "  --add-rule                  add rule into virtual service\n"
                + "  --del-rule                  del rule from virtual service\n"
                + "  --list            -L        list the table\n"
                + "  --load-configfile -f        load a config file\n"
                + "  --start                     start the virtual services\n"
                + "  --stop                      stop the virtual services\n"
                + "  --help            -h        display this help message\n"
                + "  --version         -v        display the version\n\n"
                + "Options:\n"
                + "  --ident        -i identity          service identity\n"
                + "  --scheduler    -s scheduler         one of " + L7Scheduler.NAMES + "\n"
                + "                                      the default scheduler is " + L7Scheduler.DEFAULT.schedulerName() + ".\n"
                + "  --port         -P port              service port number (default " + L7Service.DEFAULT_PORT + ")\n"
                + "  --listen       -l address[:port]    address (and port) the service listens on\n"
                + "  --real-server  -r server-address    server-address is host:port\n"
                + "  --weight       -w weight            capacity of real server\n"
                + "  --pattern      -p pattern           regular expression a request's URL must match\n"
                + "  --header          name              match the pattern against this header instead\n"
                + "  --match        -m match-num         match number to hash (hhttp only)\n"
                + "  --numeric      -n                   numeric output of addresses and ports\n"
                + "  --stats                             with -L: the proxy's and the splicer's figures\n\n"
                + "Service options (jlvs):\n"
                + "  --xff                               add X-Forwarded-For to each request\n"
                + "  --proxy-protocol v2                 open server connections with a PROXY v2 header\n"
                + "  --source address                    the address server connections come from\n"
                + "  --splice sockmap|pipe|copy          how bytes are moved once the headers are read\n"
                + "  --check tcp|http|none               how the servers are checked (default tcp)\n"
                + "  --check-path path                   the path an http check gets (default /)\n"
                + "  --check-status code                 the status an http check wants (default any 2xx)\n"
                + "  --check-interval seconds            between checks of a server (default " + L7Check.DEFAULT_INTERVAL + ")\n"
                + "  --check-timeout seconds             a check's time limit (default " + L7Check.DEFAULT_TIMEOUT + ")\n"
                + "  --check-retries n                   failures retried before a server is down (default "
                + L7Check.DEFAULT_RETRIES + ")\n";
    }
}
