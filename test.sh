#!/usr/bin/env bash
# Runs every test of the repository: builds the solution (which packs the trigger extension into local-feed/), then
# runs all test projects against real Redis servers that the test fixtures start on free loopback ports.
# Needs: the .NET 10 SDK and redis-server (or ORDERS_TEST_REDIS pointing at a Redis you run).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet is not installed: install the .NET 10 SDK (https://dot.net) and run ./test.sh again" >&2
  exit 1
fi
if [ -z "${ORDERS_TEST_REDIS:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is not installed: sudo apt-get install -y redis-server (or set ORDERS_TEST_REDIS to a Redis connection string)" >&2
  exit 1
fi

results="$(pwd)/artifacts/test-results"
rm -rf "$results"
# Progress, not silence: minimal verbosity prints one line per project built (and any warning; the NU1603 ones from the
# generated WorkerExtensions project are explained in docs/app.md).
echo "Building the solution (about 2 minutes on the first run)…"
dotnet build OrdersFunctions.sln --nologo -v minimal -clp:NoSummary
status=0
echo "Running the tests: one line per test project as it finishes (the slowest take about a minute)…"
dotnet test OrdersFunctions.sln --no-build --nologo --results-directory "$results" --logger "trx" "$@" || status=$?

# One plain closing line over every test project, read from the TRX files' result counters.
find "$results" -name '*.trx' -exec grep -ho '<Counters [^>]*>' {} + 2>/dev/null | awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/[^0-9]/, "", kv[2]); n[kv[1]] += kv[2] } }
  END { printf "%d passed, %d failed, %d skipped\n", n["passed"], n["failed"] + n["error"] + n["timeout"], n["notExecuted"] }'
exit $status
