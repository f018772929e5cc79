#!/usr/bin/env bash
# The operations command line: the overview (status) and dead letters (list, show, replay, discard) straight against
# Redis, with the app's settings (host.json and local.settings.json Values, then environment variables). Builds
# src/OrdersFunctions.Ops quietly when its sources changed, then runs it.
# Usage: ./ops.sh [--json] status | dead-letters list|show|replay|discard …  (./ops.sh help)
set -euo pipefail
cd "$(dirname "$0")"

project=src/OrdersFunctions.Ops
dll="$project/bin/Release/net10.0/OrdersFunctions.Ops.dll"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet is not installed: install the .NET 10 SDK (https://dot.net) and run ./ops.sh again" >&2
  exit 1
fi

# Rebuild only when a source of the tool or of the engine is newer than the built tool.
if [ ! -f "$dll" ] || [ -n "$(find "$project" src/OrdersFunctions.RedisStreams src/OrdersFunctions.Operations functions/OrdersFunctions.App -name '*.cs' -newer "$dll" -print -quit)" ]; then
  if ! build_log="$(dotnet build "$project" -c Release --nologo -clp:ErrorsOnly -v quiet 2>&1)"; then
    echo "$build_log" >&2
    echo "Building $project failed (above)." >&2
    exit 1
  fi
fi

exec dotnet "$dll" "$@"
