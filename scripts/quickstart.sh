#!/usr/bin/env bash
# Brings a single-node k8ts cluster up from a fresh clone: installs what is missing
# (apt and npm packages), builds, starts `k8ts server` in the background and prints
# how to point kubectl at it. Running it again while the server runs changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR="${K8TS_DATA_DIR:-/var/lib/k8ts}"
PORT="${K8TS_HTTPS_PORT:-6443}"
PID_FILE="$DATA_DIR/server.pid"
LOG_FILE="$DATA_DIR/server.log"

bash scripts/setup.sh

mkdir -p "$DATA_DIR"
if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  echo "k8ts server is already running (pid $(cat "$PID_FILE"))."
else
  nohup ./bin/k8ts server --data-dir "$DATA_DIR" --https-port "$PORT" >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 600); do
    if NODE_TLS_REJECT_UNAUTHORIZED=0 node -e "fetch('https://127.0.0.1:$PORT/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" 2>/dev/null; then break; fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "k8ts server failed to start; its log ($LOG_FILE):" >&2
      cat "$LOG_FILE" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "k8ts server started (pid $(cat "$PID_FILE")), log in $LOG_FILE."
fi

cat <<TXT

Point kubectl at it:

  export KUBECONFIG=$DATA_DIR/admin.kubeconfig
  kubectl get namespaces

Stop it with: kill \$(cat $PID_FILE)
TXT
