#!/usr/bin/env bash
# Shared by cluster.sh and etcd.sh: stop the processes a script started, by the PIDs it kept.

# stop_pids DIR NAME... : for each NAME, kill DIR/NAME.pid's process and wait up to 30 s for it to end.
stop_pids() {
  local dir=$1; shift
  local name pid
  for name in "$@"; do
    if [ -f "$dir/$name.pid" ]; then
      pid=$(cat "$dir/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      rm -f "$dir/$name.pid"
    fi
  done
}
