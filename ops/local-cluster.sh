#!/usr/bin/env bash
# Starts three clustered Greenlight nodes on this machine against one PostgreSQL.
#   ops/local-cluster.sh [jdbc-url]     (default: jdbc:postgresql://127.0.0.1:5432/greenlight, created if missing)
# Nodes listen on HTTP 8081-8083, Hazelcast 5801-5803; logs and data in ./data/cluster/node-N. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
url="${1:-jdbc:postgresql://127.0.0.1:5432/greenlight}"
[[ -f target/greenlight.jar ]] || mvn -q -DskipTests package
if [[ $url == jdbc:postgresql://127.0.0.1:5432/greenlight ]] && command -v psql >/dev/null; then
  psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'greenlight'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE greenlight"
fi
admin_key="${GREENLIGHT_ADMIN_KEY:-local-cluster-admin-key-change-me}"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' INT TERM EXIT
for n in 1 2 3; do
  mkdir -p "data/cluster/node-$n"
  GREENLIGHT_DB_URL="$url" GREENLIGHT_ADMIN_KEY="$admin_key" GREENLIGHT_CLUSTER=true \
  GREENLIGHT_CLUSTER_NAME=greenlight-local GREENLIGHT_CLUSTER_PORT=5801 \
  GREENLIGHT_CLUSTER_MEMBERS=127.0.0.1:5801,127.0.0.1:5802,127.0.0.1:5803 \
  GREENLIGHT_HTTP_PORT=808$n GREENLIGHT_DATA_DIR="data/cluster/node-$n" \
    java -jar target/greenlight.jar > "data/cluster/node-$n/node.log" 2>&1 &
  pids+=($!)
  echo "node $n: http://127.0.0.1:808$n (log data/cluster/node-$n/node.log)"
done
echo "admin key: $admin_key"
wait
