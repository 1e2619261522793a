#!/usr/bin/env bash
# Starts `node dist/main.js` with no DATABASE_URL and a fresh DATA_DIR, waits for /health/ready,
# calls an authenticated endpoint with a printed demo token, then stops it with SIGTERM.
set -euo pipefail
data_dir=$(mktemp -d)
log=$(mktemp)
# A port the kernel says is free (a random one could be taken).
port=$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
cleanup() { [ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null || true; rm -rf "$data_dir"; }
trap cleanup EXIT

env -u DATABASE_URL DATA_DIR="$data_dir" PORT="$port" node dist/main.js >"$log" 2>&1 &
pid=$!
start=$(date +%s%N)
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "server exited early"; exit 1; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$log"; echo "not ready"; exit 1; }
echo "ready after $(( ($(date +%s%N) - start) / 1000000 )) ms; RSS $(ps -o rss= -p "$pid") KiB"

for _ in $(seq 1 20); do grep -q '^partner: .*token ' "$log" && break; sleep 0.5; done
guid=$(sed -n 's/^case guid: *//p' "$log")
partner=$(sed -n 's/^partner: .*token *//p' "$log")
user=$(sed -n 's/^user: .*token *//p' "$log" | head -1)
[ -n "$partner" ] && [ -n "$user" ] || { cat "$log"; echo "no demo tokens printed"; exit 1; }

status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v3/case-messages?guid=$guid&accessToken=$partner")
echo "v3 list with the demo partner token: $status"
[ "$status" = 200 ] || { cat "$log"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: BimPlus $user" "http://127.0.0.1:$port/v2/user/me/messages")
echo "v2 inbox with the demo user token: $status"
[ "$status" = 200 ] || { cat "$log"; exit 1; }
if grep -q "$partner" <(grep '"level"' "$log"); then echo "a token reached the JSON log"; exit 1; fi

kill -TERM "$pid"
code=0; wait "$pid" || code=$?
pid=
echo "stopped with exit code $code"
[ "$code" = 0 ]
