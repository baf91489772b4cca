#!/usr/bin/env bash
# Start the action server and the Rasa server together; Ctrl-C stops both.
# Ports: RASA_PORT (5005), ACTION_PORT (5055). Refuses to start twice.
set -uo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
PY=.venv/bin/python
mkdir -p var logs

port_busy() { "$PY" -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1', int(sys.argv[1])))==0 else 1)" "$1"; }

PIDFILE=var/run-$RASA_PORT.pid
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "The assistant is already running (pid $(cat "$PIDFILE")): http://localhost:$RASA_PORT"
  echo "Stop it with Ctrl-C in its terminal, or: kill $(cat "$PIDFILE")"
  exit 0
fi
for port in "$RASA_PORT" "$ACTION_PORT"; do
  if port_busy "$port"; then
    echo "Port $port is already in use by another program. Free it, or start with RASA_PORT=... ACTION_PORT=... make run" >&2
    exit 1
  fi
done
echo $$ > "$PIDFILE"

RUN_ENDPOINTS=""
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -f "$PIDFILE" "$RUN_ENDPOINTS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ACTIONS_ENDPOINT="http://localhost:$ACTION_PORT/webhook"
RUN_ENDPOINTS=var/endpoints-$RASA_PORT.yml
# Same endpoints, with this run's action port and (optionally) its own SQLite file.
sed -e "s#http://localhost:5055/webhook#$ACTIONS_ENDPOINT#" \
    -e "s#var/tracker.db#${TRACKER_DB:-var/tracker.db}#" "${ENDPOINTS:-endpoints.yml}" > "$RUN_ENDPOINTS"

"$PY" -m rasa_sdk --actions actions --port "$ACTION_PORT" &
pids+=($!)
"$PY" -m rasa run --model models/current.tar.gz --endpoints "$RUN_ENDPOINTS" \
  --credentials credentials.yml --port "$RASA_PORT" --cors "${CORS_ORIGINS:-http://localhost:$RASA_PORT}" \
  ${RASA_AUTH_TOKEN:+--enable-api --auth-token "$RASA_AUTH_TOKEN"} &
pids+=($!)

for _ in $(seq 1 240); do
  if "$PY" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$RASA_PORT/', timeout=1)" 2>/dev/null; then
    break
  fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "A server exited during start-up." >&2; exit 1; }; done
  sleep 0.5
done
cat <<MSG

Leg Numbness Assistant is running.
  REST:    curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' -d '{"sender":"me","message":"hi"}'
  Chat:    http://localhost:$RASA_PORT/webhooks/webchat/  (demo page with the chat widget)
  Actions: http://localhost:$ACTION_PORT/health
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
status=$?
# Reached only when a server exited on its own (Ctrl-C runs cleanup via the trap).
echo "A server stopped (exit $status); shutting down the other." >&2
exit "$status"
