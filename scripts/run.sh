#!/usr/bin/env bash
# Start the action server and the Rasa server under supervisord
# (scripts/supervisord.conf), which restarts either when it dies; Ctrl-C stops both.
# Ports: RASA_PORT (5005), ACTION_PORT (5055). HOST: the interface both servers
# listen on (127.0.0.1; HOST=0.0.0.0 in a container). The API token comes from
# RASA_AUTH_TOKEN or RASA_AUTH_TOKEN_FILE, never the command line. Refuses to
# start twice. Conversations older than RETENTION_DAYS (30) are deleted first.
set -uo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
HOST=${HOST:-127.0.0.1}
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

RUN_ENDPOINTS=var/endpoints-$RASA_PORT.yml
supervisor=""
cleanup() {
  trap - INT TERM HUP EXIT
  echo; echo "Stopping..."
  if [ -n "$supervisor" ]; then
    kill -TERM "$supervisor" 2>/dev/null
    wait "$supervisor" 2>/dev/null
  fi
  rm -f "$PIDFILE" "$RUN_ENDPOINTS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP  # terminal closed: stop (supervisord alone would reload on HUP)

# Same endpoints, with this run's action server and (optionally) its own SQLite file.
sed -e "s#http://localhost:5055/webhook#http://127.0.0.1:$ACTION_PORT/webhook#" \
    -e "s#var/tracker.db#${TRACKER_DB:-var/tracker.db}#" "${ENDPOINTS:-endpoints.yml}" > "$RUN_ENDPOINTS"

SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONWARNINGS=ignore \
  "$PY" -m bot.retention --endpoints "$RUN_ENDPOINTS" ||
  echo "Deleting old conversations failed (see above); starting anyway." >&2

API_FLAG=""
if [ -n "${RASA_AUTH_TOKEN:-}${RASA_AUTH_TOKEN_FILE:-}" ]; then API_FLAG="--enable-api"; fi
ROOT=$PWD RUN_DIR=$PWD/var RUN_USER=$(id -un) PY=$PWD/$PY HOST=$HOST RASA_PORT=$RASA_PORT \
  ACTION_PORT=$ACTION_PORT RUN_ENDPOINTS=$RUN_ENDPOINTS RASA_API_FLAG=$API_FLAG \
  CORS_ORIGINS=${CORS_ORIGINS:-http://localhost:$RASA_PORT} \
  "$PY" -m supervisor.supervisord --configuration scripts/supervisord.conf &
supervisor=$!

check_host=$HOST
case $HOST in 0.0.0.0 | :: | "[::]") check_host=127.0.0.1 ;; esac
for _ in $(seq 1 480); do
  if "$PY" -c "import urllib.request,sys; urllib.request.urlopen('http://$check_host:$RASA_PORT/', timeout=1)" 2>/dev/null; then
    break
  fi
  kill -0 "$supervisor" 2>/dev/null || { echo "The process manager exited during start-up." >&2; exit 1; }
  sleep 0.5
done
cat <<MSG

Leg Numbness Assistant is running (servers restarted when they stop; log: var/supervisord-$RASA_PORT.log).
  REST:    curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' -d '{"sender":"me","message":"hi"}'
  Chat:    http://localhost:$RASA_PORT/webhooks/webchat/  (demo page with the chat widget)
  Actions: http://localhost:$ACTION_PORT/health
  Listening on $HOST (HOST=0.0.0.0 make run to listen on every interface, e.g. in a container).
Press Ctrl-C to stop.
MSG
wait "$supervisor"
status=$?
# Reached only when the process manager exited on its own (Ctrl-C runs cleanup via the trap).
echo "The process manager stopped (exit $status)." >&2
exit "$status"
