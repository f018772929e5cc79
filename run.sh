#!/usr/bin/env bash
# Runs the orders app locally with one command: makes sure a Redis answers (starting a local redis-server with its
# append-only file under .data/redis when none does), then runs the Functions app under Core Tools (`func start`) when
# `func` is installed, else under the local host (src/OrdersFunctions.LocalHost). Usage: ./run.sh [--port 7071]
set -euo pipefail
cd "$(dirname "$0")"

port=7071
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    *) echo "Unknown argument '$1'. Usage: ./run.sh [--port 7071]" >&2; exit 2 ;;
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

# A setting: the environment wins over local.settings.json, as in the app itself.
setting() {
  local from_env="${!1:-}"
  if [ -n "$from_env" ]; then echo "$from_env"; return; fi
  sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" local.settings.json | head -n 1
}

redis="$(setting RedisConnection)"
redis="${redis:-127.0.0.1:6379}"
endpoint="${redis%%,*}"
redis_host="${endpoint%:*}"
redis_port="${endpoint##*:}"
[ "$redis_host" = "$endpoint" ] && redis_port=6379

answers() { (exec 3<>"/dev/tcp/$redis_host/$redis_port") 2>/dev/null; }

if ! answers; then
  case "$redis_host" in
    127.0.0.1|localhost|::1) ;;
    *) echo "Nothing answers at $redis_host:$redis_port (RedisConnection): start that Redis or point RedisConnection at one." >&2; exit 1 ;;
  esac
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "redis-server is not installed: sudo apt-get install -y redis-server (or point RedisConnection at a Redis)" >&2
    exit 1
  fi
  mkdir -p .data/redis
  redis-server --bind 127.0.0.1 --port "$redis_port" --appendonly yes --dir "$(pwd)/.data/redis" \
    --daemonize yes --pidfile "$(pwd)/.data/redis/redis.pid" --logfile "$(pwd)/.data/redis/redis.log"
  for _ in $(seq 1 50); do answers && break; sleep 0.1; done
  if ! answers; then
    echo "redis-server did not start on 127.0.0.1:$redis_port: see .data/redis/redis.log" >&2
    exit 1
  fi
  echo "Started redis-server on 127.0.0.1:$redis_port (data in .data/redis; stop it with: redis-cli -p $redis_port shutdown)."
fi

key="$(setting LocalHost__FunctionKey)"
print_usage() {
  local auth=""
  [ -n "$key" ] && auth=" -H 'x-functions-key: $key'"
  echo
  echo "Orders API: http://127.0.0.1:$port/api/orders"
  echo "Try it:"
  echo "  curl -i -X POST http://127.0.0.1:$port/api/orders$auth -H 'Content-Type: application/json' \\"
  echo "    -d '{\"customerEmail\":\"a@b.example\",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":12.5}]}'"
  echo "  curl http://127.0.0.1:$port/api/orders/{orderId}$( [ -n "$key" ] && echo "?code=$key")"
  echo "Rows go to $(setting Spreadsheet__CsvPath), e-mails to $(setting Notifications__OutboxPath) (or SMTP). Ctrl+C stops."
  echo
}

app_dir=functions/OrdersFunctions.App
app_out="$app_dir/bin/Debug/net10.0"
if command -v func >/dev/null 2>&1; then
  dotnet build "$app_dir/OrdersFunctions.App.csproj" --nologo -clp:ErrorsOnly -v quiet
  print_usage
  cd "$app_out" && exec func start --port "$port"
fi

dotnet build "$app_dir/OrdersFunctions.App.csproj" --nologo -clp:ErrorsOnly -v quiet
dotnet build src/OrdersFunctions.LocalHost/OrdersFunctions.LocalHost.csproj --nologo -clp:ErrorsOnly -v quiet
print_usage
exec dotnet src/OrdersFunctions.LocalHost/bin/Debug/net10.0/OrdersFunctions.LocalHost.dll \
  --app "$app_out/OrdersFunctions.App.dll" --port "$port" --settings local.settings.json
