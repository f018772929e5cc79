#!/usr/bin/env bash
# Runs the orders app locally with one command: makes sure a Redis answers PING at RedisConnection (starting a local
# redis-server with its append-only file under .data/redis when nothing answers), then runs the Functions app under
# Core Tools (`func start`, with Azurite when the storage setting asks for it) when `func` is installed, else under the
# local host (src/OrdersFunctions.LocalHost). It only ever stops what it started itself.
# Usage: ./run.sh [--port 7071]   (default: Host.LocalHttpPort of local.settings.json, else 7071); ./run.sh --help
# Every argument and local.settings.json are checked before anything is built or started.
set -euo pipefail
cd "$(dirname "$0")"

usage() {
  cat <<'USAGE'
Usage: ./run.sh [--port PORT]

Runs the orders app on http://127.0.0.1:PORT/api: under Core Tools (func start) when func is installed, else under
the project's local host. Uses the Redis that answers at RedisConnection, or starts a local redis-server (data in
.data/redis) when nothing answers there. Creates local.settings.json from local.settings.sample.json when missing.

  --port PORT   the HTTP port, 1-65535 (default: Host.LocalHttpPort of local.settings.json, else 7071)
  --help        this text

Stop with Ctrl+C. docs/app.md describes every step and setting.
USAGE
}

# A port number from 1 to 65535, or the one line that says so (exit code 2).
port_argument() {
  if ! [[ "$1" =~ ^[0-9]{1,5}$ ]] || [ "$((10#$1))" -lt 1 ] || [ "$((10#$1))" -gt 65535 ]; then
    echo "--port needs a port number from 1 to 65535, e.g. ./run.sh --port 7072 (got '$1')" >&2
    exit 2
  fi
  port="$((10#$1))"
}

port=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --port)
      if [ $# -lt 2 ]; then
        echo "--port needs a port number from 1 to 65535, e.g. ./run.sh --port 7072" >&2
        exit 2
      fi
      port_argument "$2"; shift 2 ;;
    --port=*) port_argument "${1#--port=}"; shift ;;
    *) echo "Unknown argument '$1': ./run.sh [--port PORT], or ./run.sh --help" >&2; exit 2 ;;
  esac
done

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet is not installed: install the .NET 10 SDK (https://dot.net) and run ./run.sh again" >&2
  exit 1
fi

if [ ! -f local.settings.json ]; then
  cp local.settings.sample.json local.settings.json
  echo "Created local.settings.json from local.settings.sample.json (git-ignored; edit it to change settings)."
fi
# Read as Core Tools and the local host read it (comments and trailing commas allowed); a broken file is one line with
# the file and the line, here rather than after the build. A .NET file-based program: compiled once, a few seconds.
if ! dotnet run scripts/check-json.cs -- local.settings.json; then
  exit 1
fi

# A setting: the environment wins over local.settings.json, as in the app itself.
setting() {
  local from_env="${!1:-}"
  if [ -n "$from_env" ]; then echo "$from_env"; return; fi
  sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" local.settings.json | head -n 1
}

# The HTTP port as Core Tools chooses it: --port, else Host.LocalHttpPort, else 7071.
if [ -z "$port" ]; then
  port="$(sed -n 's/.*"LocalHttpPort"[[:space:]]*:[[:space:]]*"\{0,1\}\([0-9][0-9]*\).*/\1/p' local.settings.json | head -n 1)"
  port="${port:-7071}"
fi
tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
# Checked before building and before any consumer registers in Redis: a host that cannot listen must not start.
if tcp_open 127.0.0.1 "$port"; then
  echo "Port $port is in use: stop what uses it or run ./run.sh --port $((port + 1))" >&2
  exit 1
fi

redis="$(setting RedisConnection)"
redis="${redis:-127.0.0.1:6379}"
endpoint="${redis%%,*}"
redis_host="${endpoint%:*}"
redis_port="${endpoint##*:}"
[ "$redis_host" = "$endpoint" ] && redis_port=6379
pidfile="$(pwd)/.data/redis/redis.pid"

# Whether what answers is Redis: a PING (redis-cli when installed, else RESP over bash's /dev/tcp). A server that
# wants a password answers NOAUTH, which is Redis too. An open port alone could be anything.
is_redis() {
  local reply=""
  if command -v redis-cli >/dev/null 2>&1; then
    reply="$(timeout 3 redis-cli -h "$redis_host" -p "$redis_port" ping 2>&1 | head -n 1)" || true
  elif tcp_open "$redis_host" "$redis_port"; then
    reply="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"; printf "PING\r\n" >&3; IFS= read -r line <&3; echo "$line"' \
      "$redis_host" "$redis_port" 2>/dev/null | tr -d '\r')" || true
  fi
  case "$reply" in
    PONG|+PONG|NOAUTH*|-NOAUTH*|*"NOAUTH"*|*"WRONGPASS"*) return 0 ;;
    *) return 1 ;;
  esac
}
started_by_us() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "$redis" in
  *ssl=true*|*ssl=True*) echo "Using the Redis at $endpoint (RedisConnection, TLS: not checked here; the app says if it cannot connect)." ;;
  *)
    if is_redis; then
      if started_by_us; then
        echo "Using the redis-server that ./run.sh started earlier on $endpoint (pid $(cat "$pidfile"); stop it with: kill \$(cat .data/redis/redis.pid))."
      else
        echo "Using the Redis that already answers at $endpoint (RedisConnection). ./run.sh did not start it and will not stop it."
      fi
    elif tcp_open "$redis_host" "$redis_port"; then
      echo "Something answers at $endpoint (RedisConnection) but not as Redis (no PONG to PING): stop it, or point RedisConnection at a Redis." >&2
      exit 1
    else
      case "$redis_host" in
        127.0.0.1|localhost|::1) ;;
        *) echo "Nothing answers at $endpoint (RedisConnection): start that Redis or point RedisConnection at one." >&2; exit 1 ;;
      esac
      if ! command -v redis-server >/dev/null 2>&1; then
        echo "redis-server is not installed: sudo apt-get install -y redis-server (or point RedisConnection at a Redis)" >&2
        exit 1
      fi
      mkdir -p .data/redis
      redis-server --bind 127.0.0.1 --port "$redis_port" --appendonly yes --dir "$(pwd)/.data/redis" \
        --daemonize yes --pidfile "$pidfile" --logfile "$(pwd)/.data/redis/redis.log"
      for _ in $(seq 1 50); do is_redis && break; sleep 0.1; done
      if ! is_redis; then
        echo "redis-server did not start on 127.0.0.1:$redis_port: see .data/redis/redis.log" >&2
        exit 1
      fi
      echo "Started redis-server on 127.0.0.1:$redis_port (pid $(cat "$pidfile"), data in .data/redis). It keeps running after the app stops; stop it with: kill \$(cat .data/redis/redis.pid)"
    fi ;;
esac

key="$(setting LocalHost__FunctionKey)"
master_key="$(setting LocalHost__MasterKey)"
print_usage() {
  local auth=""
  [ -n "$key" ] && auth=" -H 'x-functions-key: $key'"
  echo
  echo "Orders API: http://127.0.0.1:$port/api/orders"
  echo "Try it:"
  echo "  curl -i -X POST http://127.0.0.1:$port/api/orders$auth -H 'Content-Type: application/json' \\"
  echo "    -d '{\"customerEmail\":\"a@b.example\",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":12.5}]}'"
  echo "  curl http://127.0.0.1:$port/api/orders/{orderId}$( [ -n "$key" ] && echo "?code=$key")"
  echo "Rows go to $(setting Spreadsheet__CsvPath), e-mails to $(setting Notifications__OutboxPath) (or SMTP)."
  # Under func the ops routes need the host's master key; Core Tools turns keys off locally, as the local host does
  # when LocalHost__MasterKey is unset.
  echo "Ops page: http://127.0.0.1:$port/api/ops$( [ -n "$master_key" ] && echo "?code=$master_key")   Backlog and dead letters: ./ops.sh status, ./ops.sh dead-letters list"
  echo "Ctrl+C stops the app."
  echo
}

# Progress, not silence: minimal verbosity prints one line per project built (and any warning).
build() {
  echo "Building $1 (the first run takes about 2 minutes)…"
  dotnet build "$2" --nologo -v minimal -clp:NoSummary
}

app_dir=functions/OrdersFunctions.App
app_out="$app_dir/bin/Debug/net10.0"
if command -v func >/dev/null 2>&1; then
  # func start needs Azure Storage for AzureWebJobsStorage=UseDevelopmentStorage=true: Azurite on loopback.
  azurite_pid=""
  if [ "$(setting AzureWebJobsStorage)" = "UseDevelopmentStorage=true" ] && ! tcp_open 127.0.0.1 10000; then
    if ! command -v npx >/dev/null 2>&1; then
      echo "func start needs Azurite (AzureWebJobsStorage=UseDevelopmentStorage=true, nothing on 127.0.0.1:10000) and npx is missing: install Node.js, or start Azurite yourself, or uninstall func to use the local host." >&2
      exit 1
    fi
    mkdir -p .data/azurite
    echo "Starting Azurite on 127.0.0.1:10000-10002 for func start (npx azurite; data in .data/azurite; stopped with the app)…"
    npx --yes azurite --silent --location .data/azurite --debug .data/azurite/debug.log \
      --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >.data/azurite/azurite.log 2>&1 &
    azurite_pid=$!
    trap '[ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null' EXIT
    for _ in $(seq 1 300); do tcp_open 127.0.0.1 10000 && break; sleep 0.2; done
    tcp_open 127.0.0.1 10000 || { echo "Azurite did not start: see .data/azurite/azurite.log" >&2; exit 1; }
  fi
  build "the app" "$app_dir/OrdersFunctions.App.csproj"
  print_usage
  # Not exec: the EXIT trap stops the Azurite started above (and nothing else) when func ends.
  (cd "$app_out" && func start --port "$port")
  exit $?
fi

build "the app" "$app_dir/OrdersFunctions.App.csproj"
build "the local host" src/OrdersFunctions.LocalHost/OrdersFunctions.LocalHost.csproj
print_usage
exec dotnet src/OrdersFunctions.LocalHost/bin/Debug/net10.0/OrdersFunctions.LocalHost.dll \
  --app "$app_out/OrdersFunctions.App.dll" --port "$port" --settings local.settings.json
