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
dotnet build OrdersFunctions.sln --nologo -clp:ErrorsOnly "$@"
status=0
dotnet test OrdersFunctions.sln --no-build --nologo --results-directory "$results" --logger "trx" "$@" || status=$?

# One plain closing line over every test project, read from the TRX files.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(path).getroot().find(".//{*}ResultSummary/{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("notExecuted", 0))
print(f"{p} passed, {f} failed, {s} skipped")
PY
exit $status
