# Shared by bin/jlvs, bin/jlvsadm and bin/test: find a JDK 25, install what the build needs, build what is missing.
# shellcheck shell=bash
JLVS_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

jlvs_java_version() { # prints the feature version of the java binary $1, or nothing
  # A JDK's release file names its version: read without starting a JVM (every jlvsadm call runs this).
  local release line
  release=$(dirname "$(dirname "$1")")/release
  if [ -f "$release" ]; then
    while IFS= read -r line; do
      case $line in JAVA_VERSION=*) line=${line#JAVA_VERSION=\"}; echo "${line%%[.\"]*}"; return 0 ;; esac
    done < "$release"
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

jlvs_find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 \
      /usr/lib/jvm/*25* /usr/local/lib/jvm/*25* /opt/java/*25* /opt/jdk*25* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    if [ "$(jlvs_java_version "$candidate/bin/java")" = "25" ]; then
      JAVA_HOME=$candidate; export JAVA_HOME
      # Maven's own libraries call sun.misc.Unsafe; JDK 25 warns about it on every build. Quiet, not hidden.
      case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
      return 0
    fi
  done
  echo "jlvs: no JDK 25 found. Looked at \$JAVA_HOME and /usr/lib/jvm/*25*, /opt/java/*25*." >&2
  echo "jlvs: install one (for example Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}

# Debian packages the daemon, the tests and the demo use at run time (procps: sysctl; python3: the packets
# module's capture test serves HTTP with python3 -m http.server; bird2: the BGP announcement, --bgp bird; nginx: the FullNAT test's PROXY protocol server).
JLVS_PACKAGES="maven iproute2 nftables ethtool procps libpcap0.8 tcpdump socat curl iputils-ping python3 openssl keepalived bird2 nginx"

jlvs_install_packages() { # installs missing Debian packages (root only); extra names may be given
  local missing=() p installed
  # One dpkg-query for all of them: every `jlvs` command runs this before its JVM starts.
  installed=" $(dpkg-query -W -f='${Package}=${Status}\n' $JLVS_PACKAGES "$@" 2>/dev/null \
    | awk -F= '$2 == "install ok installed" {printf "%s ", $1}' || true)"
  for p in $JLVS_PACKAGES "$@"; do
    case $installed in *" $p "*) ;; *) missing+=("$p") ;; esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "jlvs: missing packages ${missing[*]}; run as root or install them" >&2; return 1
  fi
  echo "jlvs: installing ${missing[*]}" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

jlvs_build_stale() { # true when the runtime jar is missing or older than any source or pom
  local jar=$JLVS_HOME/tools/target/jlvs-tools.jar
  [ -f "$jar" ] || return 0
  [ -n "$(find "$JLVS_HOME" -path "$JLVS_HOME/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print -quit)" ]
}

jlvs_ensure_built() {
  if jlvs_build_stale; then
    echo "jlvs: building (mvn install, tests skipped)" >&2
    (cd "$JLVS_HOME" && mvn -q -B -Dmaven.test.skip=true install -pl tools -am) >&2 || { echo "jlvs: build failed" >&2; return 1; }
  fi
}

JLVS_JAVA_OPTS=(--enable-native-access=ALL-UNNAMED)
JLVS_AOT_CACHE=$JLVS_HOME/tools/target/jlvs.aot

jlvs_runtime_classpath() { echo "${JLVS_CLASSPATH:-$JLVS_HOME/tools/target/jlvs-tools.jar:$JLVS_HOME/tools/target/lib/*}"; }

# The daemon's ahead-of-time cache (JDK 25, JEP 483 and 515): classes loaded and linked and the forwarding path's
# method profiles, from a training run on synthetic traffic, made once per build. A restarted daemon, or a backup
# that takes over, then forwards at speed within its first second. The JVM ignores a cache that does not match its
# class path or options; the daemon runs without one if making it fails.
jlvs_ensure_aot_cache() {
  local jar=$JLVS_HOME/tools/target/jlvs-tools.jar
  [ -f "$JLVS_AOT_CACHE" ] && [ "$JLVS_AOT_CACHE" -nt "$jar" ] && return 0
  (
    flock 9
    [ -f "$JLVS_AOT_CACHE" ] && [ "$JLVS_AOT_CACHE" -nt "$jar" ] && exit 0
    echo "jlvs: training the daemon's ahead-of-time cache (once per build, a few seconds)" >&2
    local tmp=$JLVS_AOT_CACHE.$$.tmp
    if "$JAVA_HOME/bin/java" "${JLVS_JAVA_OPTS[@]}" ${JLVS_JVM_OPTS:--XX:+UseParallelGC} -XX:AOTCacheOutput="$tmp" \
        -Xlog:aot=error -cp "$(jlvs_runtime_classpath)" io.jlvs.tools.AotTraining >&2 && [ -f "$tmp" ]; then
      mv -f "$tmp" "$JLVS_AOT_CACHE"
    else
      rm -f "$tmp" "$tmp.config"
      echo "jlvs: no ahead-of-time cache; the daemon starts without one" >&2
    fi
  ) 9>"$JLVS_AOT_CACHE.lock"
}

jlvs_run_main() { # main-class args...; JLVS_CLASSPATH narrows the class path (jlvsadm needs only jlvs-control)
  local main=$1; shift
  local aot=()
  if [ "${1:-}" = daemon ] && [ -z "${JLVS_CLASSPATH:-}" ]; then
    jlvs_ensure_aot_cache || true
    [ -f "$JLVS_AOT_CACHE" ] && aot=(-XX:AOTCache="$JLVS_AOT_CACHE" -Xlog:aot=error)
  fi
  exec "$JAVA_HOME/bin/java" "${JLVS_JAVA_OPTS[@]}" ${JLVS_JVM_OPTS:--XX:+UseParallelGC} "${aot[@]}" \
    -cp "$(jlvs_runtime_classpath)" "$main" "$@"
}
