#!/usr/bin/env bash
# Local infrastructure for Sourcer on a bare Debian machine (no container engine):
# RabbitMQ (apt), a MongoDB-compatible server (FerretDB on SQLite) and Chromium (apt).
#
#   deploy/local/infra.sh install   install whatever is missing
#   deploy/local/infra.sh start     start RabbitMQ and FerretDB unless they already answer, wait for both
#   deploy/local/infra.sh stop      stop the local RabbitMQ and the FerretDB this script started
#   deploy/local/infra.sh status    say what answers and what is installed
#   deploy/local/infra.sh env       print export lines for AMQP_URL, MONGODB_URL, SOURCER_CHROMIUM_PATH
#   deploy/local/infra.sh users     one RabbitMQ user per service, limited to its own routing keys and
#                                   queues (after 'make install': derived from the services' code)
#   deploy/local/infra.sh env --service NAME   the same, with AMQP_URL of that service's own user
#
# Pointing AMQP_URL or MONGODB_URL at another host makes this script leave that server alone and only
# check that it answers. See deploy/local/README.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/../.." && pwd)"
LOCAL_DIR="${SOURCER_LOCAL_DIR:-$REPO/.local}"
BIN_DIR="$LOCAL_DIR/bin"
LOG_DIR="$LOCAL_DIR/log"
RUN_DIR="$LOCAL_DIR/run"
FERRETDB_DATA_DIR="$LOCAL_DIR/ferretdb"
FERRETDB_STATE_DIR="$LOCAL_DIR/ferretdb-state"
FERRETDB_LOG="$LOG_DIR/ferretdb.log"
FERRETDB_PID="$RUN_DIR/ferretdb.pid"
FERRETDB_STAMP="$BIN_DIR/ferretdb.build"

FERRETDB_VERSION="v1.24.2"
FERRETDB_MODULE="github.com/FerretDB/FerretDB"
# Names the build of FerretDB with our patch (see install_ferretdb): a changed patch rebuilds it.
FERRETDB_PATCH="$SCRIPT_DIR/ferretdb-sqlite-id-lookup.patch"
FERRETDB_BUILD="$FERRETDB_VERSION+$(sha256sum "$FERRETDB_PATCH" | cut -c1-12)"
APT_PACKAGES=(rabbitmq-server chromium git)

AMQP_PORT="${SOURCER_AMQP_PORT:-5672}"
MONGO_PORT="${SOURCER_MONGO_PORT:-27017}"
# FerretDB serves metrics/pprof on 127.0.0.1:8088 by default; "-" turns that listener off so it
# cannot collide with anything else on the machine.
FERRETDB_DEBUG_ADDR="${SOURCER_FERRETDB_DEBUG_ADDR:--}"
WAIT_SECONDS="${SOURCER_INFRA_TIMEOUT:-60}"
RABBITMQ_LOG_DIR="/var/log/rabbitmq"
# One password file per service user (mode 0600), written by `sourcer-bus permissions --apply`.
AMQP_USERS_DIR="$LOCAL_DIR/amqp"
AMQP_USER_PREFIX="sourcer-"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

# --- helpers -------------------------------------------------------------------------------------

# tcp_open HOST PORT: succeeds when something accepts a TCP connection (bash /dev/tcp, no extra tools).
tcp_open() {
    # shellcheck disable=SC2016 # $1/$2 expand in the inner shell, on purpose
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# amqp_answers HOST PORT: the broker answers the AMQP 0-9-1 protocol header with Connection.Start
# (a method frame, first byte 1). An open port alone is not enough: a wedged node still accepts
# connections and never answers them.
amqp_answers() {
    local reply
    # shellcheck disable=SC2016 # $1/$2 expand in the inner shell, on purpose
    reply="$(timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2" && printf "AMQP\x00\x00\x09\x01" >&3 && head -c 1 <&3 | od -An -tx1' _ "$1" "$2" 2>/dev/null)" || return 1
    [[ "${reply// /}" == "01" ]]
}

# url_host_port URL DEFAULT_PORT: prints "HOST PORT" for amqp(s):// and mongodb:// URLs
# (credentials, path and query stripped; for a replica-set list the first host is used).
url_host_port() {
    local url="$1" default_port="$2" rest host port
    rest="${url#*://}"
    rest="${rest%%/*}"
    rest="${rest%%\?*}"
    rest="${rest##*@}"
    rest="${rest%%,*}"
    if [[ "$rest" == \[* ]]; then            # [ipv6]:port
        host="${rest%%]*}"; host="${host#[}"
        port="${rest#*]}"; port="${port#:}"
    elif [[ "$rest" == *:* ]]; then
        host="${rest%%:*}"; port="${rest##*:}"
    else
        host="$rest"; port=""
    fi
    printf '%s %s\n' "${host:-127.0.0.1}" "${port:-$default_port}"
}

is_local_host() {
    case "$1" in
        localhost | 127.0.0.1 | ::1) return 0 ;;
        *) return 1 ;;
    esac
}

amqp_url() { printf '%s' "${AMQP_URL:-amqp://guest:guest@127.0.0.1:$AMQP_PORT/}"; }
mongodb_url() { printf '%s' "${MONGODB_URL:-mongodb://127.0.0.1:$MONGO_PORT/}"; }

# The endpoint each server is expected on: the configured URL wins, so a local URL with a non-default
# port is honoured as well.
amqp_endpoint() {
    local default=5672
    [[ "$(amqp_url)" == amqps://* ]] && default=5671
    url_host_port "$(amqp_url)" "$default"
}
mongo_endpoint() { url_host_port "$(mongodb_url)" 27017; }

# wait_for_tcp NAME HOST PORT LOGHINT [PID]: bounded wait until HOST:PORT answers; gives up early if the
# process we started (PID) has already exited.
wait_for_tcp() {
    local name="$1" host="$2" port="$3" loghint="$4" pid="${5:-}" deadline=$((SECONDS + WAIT_SECONDS))
    until tcp_open "$host" "$port"; do
        if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
            die "$name exited during startup; see $loghint"
        fi
        ((SECONDS < deadline)) || die "$name did not answer on $host:$port within ${WAIT_SECONDS}s; see $loghint"
        sleep 1
    done
}

apt_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# --- install -------------------------------------------------------------------------------------

install_apt_packages() {
    local missing=() pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        apt_installed "$pkg" || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        log "apt packages present: ${APT_PACKAGES[*]}"
        return
    fi
    command -v apt-get >/dev/null || die "apt-get not found; install ${missing[*]} by other means"
    log "installing ${missing[*]}"
    # Refresh package lists only when needed: a fresh machine has none and install fails.
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; then
        log "apt-get install failed; refreshing package lists and retrying"
        DEBIAN_FRONTEND=noninteractive apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    fi
}

# ferretdb_bin: prints the FerretDB binary to use: ours in .local/bin when built with the current
# patches, else one on PATH reporting 1.24.x (correct, only slower on large collections).
ferretdb_bin() {
    local candidate version
    for candidate in "$BIN_DIR/ferretdb" "$(command -v ferretdb 2>/dev/null || true)"; do
        [[ -n "$candidate" && -x "$candidate" ]] || continue
        if [[ "$candidate" == "$BIN_DIR/ferretdb" && "$(cat "$FERRETDB_STAMP" 2>/dev/null)" != "$FERRETDB_BUILD" ]]; then
            continue
        fi
        # Capture first: a pipe into grep -q could SIGPIPE the binary and fail under pipefail.
        version="$("$candidate" --version 2>/dev/null || true)"
        if [[ "$version" == *"version: v1.24."* ]]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

# FerretDB reads its own version from build/version/version.txt, which the published module does not
# contain: a plain `go install ...@version` builds a binary that panics on start. So we build from a
# writable copy of the module source with that file filled in, and with $FERRETDB_PATCH applied:
# FerretDB's SQLite backend never used its `_id` index, so every update and delete by `_id`, and
# every query naming `_id` among other conditions, scanned the whole collection (10 ms per write at
# 3,000 documents, growing linearly). The patch says why each change keeps results the same.
install_ferretdb() {
    local existing
    if existing="$(ferretdb_bin)"; then
        log "FerretDB present: $existing"
        return
    fi
    command -v go >/dev/null || die "Go toolchain not found: install Go >= 1.24 (https://go.dev/dl/) and re-run '$0 install'"

    log "building FerretDB $FERRETDB_VERSION (takes a few minutes on first run)"
    local src build_dir
    src="$(go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
    [[ -n "$src" && -d "$src" ]] || die "could not download $FERRETDB_MODULE@$FERRETDB_VERSION"
    build_dir="$(mktemp -d)"
    # shellcheck disable=SC2064 # expand now: build_dir is local
    trap "rm -rf '$build_dir'" EXIT
    cp -r "$src/." "$build_dir/"
    chmod -R u+w "$build_dir"
    printf '%s\n' "$FERRETDB_VERSION" >"$build_dir/build/version/version.txt"
    (cd "$build_dir" && git apply "$FERRETDB_PATCH") \
        || die "FerretDB source changed: $FERRETDB_PATCH no longer applies"
    mkdir -p "$BIN_DIR"
    (cd "$build_dir" && go build -buildvcs=false -trimpath -o "$BIN_DIR/ferretdb" ./cmd/ferretdb)
    printf '%s\n' "$FERRETDB_BUILD" >"$FERRETDB_STAMP"
    rm -rf "$build_dir"
    trap - EXIT
    # Capture first: piping into head could SIGPIPE the binary and fail the install under pipefail.
    local version
    version="$("$BIN_DIR/ferretdb" --version)"
    log "installed FerretDB ${version%%$'\n'*}"
}

cmd_install() {
    install_apt_packages
    install_ferretdb
}

# --- RabbitMQ ------------------------------------------------------------------------------------

rabbitmq_node_running() {
    command -v rabbitmqctl >/dev/null && rabbitmqctl -q ping >/dev/null 2>&1
}

start_rabbitmq() {
    local host port
    read -r host port < <(amqp_endpoint)
    if ! is_local_host "$host"; then
        tcp_open "$host" "$port" || die "RabbitMQ at $host:$port (AMQP_URL) does not answer"
        log "RabbitMQ at $host:$port answers (external, not managed here)"
        return
    fi
    if tcp_open 127.0.0.1 "$port"; then
        if amqp_answers 127.0.0.1 "$port"; then
            log "RabbitMQ answers on 127.0.0.1:$port"
            expire_scratch_queues
            return
        fi
        log "RabbitMQ on port $port accepts connections but does not answer AMQP; restarting it"
        end_rabbitmq "$port"
    fi
    command -v rabbitmq-server >/dev/null || die "rabbitmq-server not installed; run '$0 install'"

    # A node can be up but still booting (started by the service manager or an earlier run):
    # starting a second one would only fail on the node name, so just wait for it.
    if rabbitmq_node_running; then
        log "RabbitMQ node is running but port $port is not open yet; waiting (a node on another port must be stopped first)"
    else
        log "starting RabbitMQ on port $port"
        RABBITMQ_NODE_PORT="$port" rabbitmq-server -detached
    fi

    # -detached returns at once and the node registers with epmd a moment later; until then
    # await_startup fails immediately, so retry it until the deadline.
    local deadline=$((SECONDS + WAIT_SECONDS))
    until rabbitmqctl -q await_startup --timeout "$((deadline - SECONDS > 1 ? deadline - SECONDS : 1))" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || die "RabbitMQ did not start within ${WAIT_SECONDS}s; see $RABBITMQ_LOG_DIR/"
        sleep 1
    done
    wait_for_tcp RabbitMQ 127.0.0.1 "$port" "$RABBITMQ_LOG_DIR/"
    log "RabbitMQ answers on 127.0.0.1:$port"
    expire_scratch_queues
}

# Tests, end-to-end runs and benchmarks declare their queues under their own prefixes and delete
# them when they end; a run that is killed cannot. On this local node, such queues expire after
# an hour without consumers, so that killed runs do not pile up hundreds of quorum queues (each a
# Raft member) that slow the node down. The queues of `make dev` and of deployments have no
# prefix and are not affected.
expire_scratch_queues() {
    timeout 20 rabbitmqctl -q set_policy --apply-to queues sourcer-scratch-expiry \
        '^(test|e2e|fleet|bench)\.' '{"expires":3600000}' >/dev/null 2>&1 ||
        log "could not set the expiry policy of scratch queues (rabbitmqctl); left as they are"
}

# end_rabbitmq PORT: stops the local node, and kills it when it does not stop in time (a wedged
# node never answers rabbitmqctl); returns once the port is closed.
end_rabbitmq() {
    timeout 15 rabbitmqctl -q stop >/dev/null 2>&1 || pkill -9 -f 'beam.smp.* -s rabbit boot' || true
    local deadline=$((SECONDS + 15))
    while tcp_open 127.0.0.1 "$1" && ((SECONDS < deadline)); do sleep 0.5; done
}

stop_rabbitmq() {
    local host port
    read -r host port < <(amqp_endpoint)
    if ! is_local_host "$host"; then
        log "RabbitMQ at $host is external; leaving it alone"
        return
    fi
    if tcp_open 127.0.0.1 "$port" || rabbitmq_node_running; then
        log "stopping RabbitMQ"
        end_rabbitmq "$port"
    else
        log "RabbitMQ is not running"
    fi
}

# --- FerretDB ------------------------------------------------------------------------------------

# ferretdb_pid: prints the pid from our pid file when that process is still a FerretDB.
ferretdb_pid() {
    local pid cmdline
    [[ -f "$FERRETDB_PID" ]] || return 1
    pid="$(<"$FERRETDB_PID")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    # Guard against a recycled pid belonging to some other program.
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    [[ "$cmdline" == *ferretdb* ]] || return 1
    printf '%s\n' "$pid"
}

# orphaned_ferretdb PORT: prints "pid dir" of a FerretDB listening on PORT whose SQLite data
# directory is gone (its checkout was deleted under it). Such a server still answers, but every
# database it has not opened yet fails with "unable to open database file".
orphaned_ferretdb() {
    local pid cmdline dir
    for pid in $(pgrep -x ferretdb 2>/dev/null || true); do
        cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || continue
        [[ "$cmdline" == *"--listen-addr=127.0.0.1:$1 "* && "$cmdline" == *"--sqlite-url=file:"* ]] || continue
        dir="${cmdline#*--sqlite-url=file:}"
        dir="${dir%% *}"
        if [[ ! -d "$dir" ]]; then
            printf '%s %s\n' "$pid" "$dir"
            return 0
        fi
    done
    return 1
}

start_ferretdb() {
    local host port pid bin orphan
    read -r host port < <(mongo_endpoint)
    if ! is_local_host "$host"; then
        if [[ "$(mongodb_url)" == mongodb+srv://* ]]; then
            log "MONGODB_URL uses DNS seed list; not checking reachability"
        else
            tcp_open "$host" "$port" || die "MongoDB at $host:$port (MONGODB_URL) does not answer"
            log "MongoDB at $host:$port answers (external, not managed here)"
        fi
        return
    fi
    if orphan="$(orphaned_ferretdb "$port")"; then
        log "FerretDB (pid ${orphan%% *}) on port $port serves from ${orphan#* }, which is gone; stopping it"
        kill -TERM "${orphan%% *}" 2>/dev/null || true
        for _ in $(seq 1 50); do tcp_open 127.0.0.1 "$port" || break; sleep 0.2; done
    fi
    if tcp_open 127.0.0.1 "$port"; then
        log "MongoDB-compatible server answers on 127.0.0.1:$port"
        return
    fi

    if pid="$(ferretdb_pid)"; then
        # One data directory, one server: a FerretDB of ours on another port must be stopped first.
        [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == *"--listen-addr=127.0.0.1:$port "* ]] ||
            die "FerretDB started here (pid $pid) listens on another port; run '$0 stop' first"
        log "FerretDB (pid $pid) is running but port $port is not open yet; waiting"
    else
        bin="$(ferretdb_bin)" || die "FerretDB $FERRETDB_VERSION not installed; run '$0 install'"
        mkdir -p "$FERRETDB_DATA_DIR" "$FERRETDB_STATE_DIR" "$LOG_DIR" "$RUN_DIR"
        log "starting FerretDB on 127.0.0.1:$port (data in $FERRETDB_DATA_DIR)"
        # setsid + nohup: the server outlives this script and the terminal it was started from.
        nohup setsid "$bin" \
            --handler=sqlite \
            --sqlite-url="file:$FERRETDB_DATA_DIR/" \
            --state-dir="$FERRETDB_STATE_DIR" \
            --listen-addr="127.0.0.1:$port" \
            --debug-addr="$FERRETDB_DEBUG_ADDR" \
            --telemetry=disable \
            </dev/null >>"$FERRETDB_LOG" 2>&1 &
        pid=$!
        printf '%s\n' "$pid" >"$FERRETDB_PID"
    fi
    wait_for_tcp FerretDB 127.0.0.1 "$port" "$FERRETDB_LOG" "$pid"
    log "FerretDB answers on 127.0.0.1:$port"
}

stop_ferretdb() {
    local pid
    if ! pid="$(ferretdb_pid)"; then
        log "FerretDB (managed here) is not running"
        rm -f "$FERRETDB_PID"
        return
    fi
    log "stopping FerretDB (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            log "FerretDB did not exit after SIGTERM; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.5
    done
    rm -f "$FERRETDB_PID"
}

# --- commands ------------------------------------------------------------------------------------

cmd_start() {
    start_rabbitmq
    start_ferretdb
}

cmd_stop() {
    stop_ferretdb
    stop_rabbitmq
}

chromium_path() {
    if [[ -n "${SOURCER_CHROMIUM_PATH:-}" ]]; then
        printf '%s\n' "$SOURCER_CHROMIUM_PATH"
    elif [[ -x /usr/bin/chromium ]]; then
        printf '%s\n' /usr/bin/chromium
    else
        return 1
    fi
}

# status exits non-zero when something is missing, so it can gate other scripts.
cmd_status() {
    local ok=0 host port path pid
    read -r host port < <(amqp_endpoint)
    if tcp_open "$host" "$port"; then
        echo "rabbitmq: answers on $host:$port"
    else
        echo "rabbitmq: NOT answering on $host:$port"; ok=1
    fi

    read -r host port < <(mongo_endpoint)
    if tcp_open "$host" "$port"; then
        if pid="$(ferretdb_pid)"; then
            echo "ferretdb: answers on $host:$port (pid $pid, data $FERRETDB_DATA_DIR)"
        else
            echo "ferretdb: answers on $host:$port (not started by this script)"
        fi
    else
        echo "ferretdb: NOT answering on $host:$port"; ok=1
    fi

    if path="$(chromium_path)" && [[ -x "$path" ]]; then
        echo "chromium: installed at $path"
    else
        echo "chromium: NOT installed"; ok=1
    fi
    return "$ok"
}

# users: ADDs a user per service to the local broker and sets the permissions of the users it
# created (tagged sourcer-service); never changes or deletes guest or any other existing user.
cmd_users() {
    local host port
    read -r host port < <(amqp_endpoint)
    if ! is_local_host "$host"; then
        log "RabbitMQ at $host is external: create the service users there (docs/operations.md)"
        return
    fi
    command -v rabbitmqctl >/dev/null || die "rabbitmqctl not found; run '$0 install'"
    [[ -d "$REPO/.venv" ]] && command -v uv >/dev/null ||
        die "run 'make install' first: the users' permissions are derived from the services' code"
    (cd "$REPO" && AMQP_URL="$(amqp_url)" uv run --frozen sourcer-bus permissions --apply \
        --passwords-dir "$AMQP_USERS_DIR" --user-prefix "$AMQP_USER_PREFIX")
}

# service_amqp_url NAME: the broker URL with the service's own user and stored password.
service_amqp_url() {
    local file="$AMQP_USERS_DIR/$1" url scheme rest
    [[ -f "$file" ]] || die "no broker user for service '$1' yet; run '$0 users'"
    url="$(amqp_url)"
    scheme="${url%%://*}"
    rest="${url#*://}"
    rest="${rest#*@}"  # drop the admin credentials
    printf '%s://%s%s:%s@%s' "$scheme" "$AMQP_USER_PREFIX" "$1" "$(<"$file")" "$rest"
}

# env: values already set in the environment win, so the output can be eval'd unconditionally.
# env --service NAME: AMQP_URL is that service's own user (see 'users').
cmd_env() {
    local path url
    if [[ "${1:-}" == "--service" ]]; then
        [[ -n "${2:-}" ]] || die "env --service needs a service name"
        url="$(service_amqp_url "$2")" || exit 1  # die in $(...) only leaves the subshell
        printf 'export AMQP_URL=%q\n' "$url"
    else
        printf 'export AMQP_URL=%q\n' "$(amqp_url)"
    fi
    printf 'export MONGODB_URL=%q\n' "$(mongodb_url)"
    if path="$(chromium_path)"; then
        printf 'export SOURCER_CHROMIUM_PATH=%q\n' "$path"
    fi
}

usage() {
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
    case "${1:-}" in
        install) cmd_install ;;
        start) cmd_start ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        env) shift; cmd_env "$@" ;;
        users) cmd_users ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
