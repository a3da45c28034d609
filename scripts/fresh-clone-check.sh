#!/usr/bin/env bash
# The first hour, scripted: clone the committed HEAD into a clean folder and run the README's two
# commands as a new user would (no CI=true, no Chromium on PATH, no CHROMIUM_PATH), then fail if
# either fails or if the output carries a warning that is the project's own to fix.
#   usage: scripts/fresh-clone-check.sh            (from anywhere inside the project)
set -uo pipefail
top=$(git rev-parse --show-toplevel) || exit 2
work=$(mktemp -d)
trap 'kill "${bridge_pid:-}" 2>/dev/null; rm -rf "$work"' EXIT
git clone -q "$top" "$work/project" || exit 2
cd "$work/project" || exit 2

# A PATH like this machine's, minus Chromium: every other command stays reachable.
mkdir -p "$work/bin"
IFS=: read -ra dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  for cmd in "$dir"/*; do
    name=${cmd##*/}
    case "$name" in chromium* | google-chrome*) continue ;; esac
    [ -x "$cmd" ] && [ ! -e "$work/bin/$name" ] && ln -s "$cmd" "$work/bin/$name"
  done
done
# A first-time user: no CI, no browser, no turbo telemetry settings of this machine's (XDG_CONFIG_HOME),
# and free ports (node --env-file keeps variables already set, so demo.env's 3000/4050 give way).
run() {
  env -u CI -u CHROMIUM_PATH -u TURBO_TELEMETRY_DISABLED PATH="$work/bin" XDG_CONFIG_HOME="$work/config" PORT=0 EMULATOR_PORT=0 "$@"
}

fail() { echo "fresh-clone check: FAILED: $*"; exit 1; }

echo "fresh-clone check: README command 1 (install && start) in $work/project"
run bash -c 'npx -y pnpm@12.21.0 install && npx -y pnpm@12.21.0 start' >"$work/start.log" 2>&1 &
bridge_pid=$!
for _ in $(seq 1 180); do
  grep -q '"msg":"bridge listening"' "$work/start.log" && break
  kill -0 "$bridge_pid" 2>/dev/null || break
  sleep 1
done
grep -q '"msg":"bridge listening"' "$work/start.log" || { tail -n 30 "$work/start.log"; fail "the bridge did not start"; }
bridge_url=$(grep -o '"bridgeUrl":"[^"]*"' "$work/start.log" | head -n 1 | cut -d'"' -f4)
curl -fsS "$bridge_url/healthz" >/dev/null || fail "GET $bridge_url/healthz did not answer"
# SIGTERM to the bridge itself (it shuts down gracefully); pnpm and turbo then end with it.
for pid in $(pgrep -x node); do
  [ "$(readlink "/proc/$pid/cwd")" = "$work/project/apps/express-bridge" ] && kill -TERM "$pid"
done
wait "$bridge_pid" || { tail -n 5 "$work/start.log"; fail "the start command did not end cleanly after SIGTERM"; }

echo "fresh-clone check: README command 2 (install && test)"
run bash -c 'npx -y pnpm@12.21.0 install && npx -y pnpm@12.21.0 test' >"$work/test.log" 2>&1 || { tail -n 40 "$work/test.log"; fail "the test command failed"; }
grep -q 'browser tests skipped: no Chromium on PATH' "$work/test.log" || fail "no line said the browser tests were skipped"

# Warnings the project causes and must not print: npm's devEngines check, turbo's telemetry notice,
# the AWS SDK's Node-version notice in the demo and the tests, a bridge's stack trace.
ours='EBADDEVENGINES|collects completely anonymous telemetry|NodeVersionSupportWarning|^\s+at .*\(.*:[0-9]+:[0-9]+\)$'
if grep -nE "$ours" "$work/start.log" "$work/test.log"; then fail "the output above carries warnings of the project's own"; fi
# A clean start prints pnpm's line naming the script, then only the bridge's JSON lines.
bridge_output=$(sed -n '/node scripts\/start-demo.mjs/,$p' "$work/start.log" | tail -n +2 | grep -v '^{' | grep -v '^\s*$' || true)
[ -z "$bridge_output" ] || { echo "$bridge_output"; fail "the bridge printed lines that are not its own JSON log lines"; }
echo "fresh-clone check: passed"
