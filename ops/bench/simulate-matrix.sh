#!/usr/bin/env bash
# Replays a synthetic workload on every trace in shared/data/carbon (plus the CAISO North MOER trace converted to
# the canonical format) under every policy, with a perfect forecast and with gaussian:0.10, at 2 and 4 GPUs.
# Writes one JSON report per run under target/sim/ and a Markdown table to stdout.
#   ops/bench/simulate-matrix.sh [JOBS_PER_GPU=8000] [LOAD=0.65] [HISTORY_DAYS=0]   (Java 21+: set JAVA_HOME when the default java is older)
# HISTORY_DAYS > 0 replays a service that ran that long before the workload (simulate --history-days).
set -euo pipefail
cd "$(dirname "$0")/../.."
per_gpu="${1:-8000}"; load="${2:-0.65}"; history="${3:-0}"
data=../shared/data/carbon
out=target/sim; [[ "$history" == 0 ]] || out="target/sim/history-$history"; mkdir -p "$out"
[[ -f target/greenlight.jar ]] || mvn -q -DskipTests package
python3 ops/bench/moer-to-gco2.py "$data/CAISO_NORTH_2023-06_watttime_moer_5min.csv" "$out/CAISO_NORTH_2023-06_moer_5min.csv"
traces=("$data"/*_em_hourly.csv "$data"/*_lwa_*.csv "$out/CAISO_NORTH_2023-06_moer_5min.csv")
for trace in "${traces[@]}"; do
  name=$(basename "$trace" .csv)
  for gpus in 2 4; do
    for err in none gaussian:0.10; do
      "${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar target/greenlight.jar simulate --trace "r=$trace" --gpus "r=$gpus" --synthetic $((per_gpu * gpus)) \
        --load "$load" --seed 7 --forecast-error "$err" --history-days "$history" --out "$out/$name-$gpus-${err/:/_}.json" > /dev/null
    done
  done
done
python3 - "$out" <<'PY'
import json, glob, os, sys
rows = []
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    r = json.load(open(f)); p = r["policies"]
    name = os.path.basename(f)[:-5]
    def cell(k):
        v = p[k]; fr = v.get("fraction_of_oracle")
        return "%.1f %% / %s / %d" % (100 * v["savings_vs_fifo"], "-" if fr is None else "%.2f" % fr, v["deadline_misses"])
    of = p.get("oracle_forecast")
    rows.append("| %s | %s | %s | %s | %s | %.1f %% | %s | %.0f / %.0f | %.2f |" % (name, r["forecast_error"], cell("greenlight"), cell("jobrunr"), cell("sdk"),
        100 * p["oracle"]["savings_vs_fifo"], "-" if of is None else "%.1f %% / %.2f" % (100 * of["savings_vs_fifo"], of["fraction_of_oracle"]),
        p["greenlight"]["p95_delay_s"], p["fifo"]["p95_delay_s"], r["planner_ms_per_tick_p95"]))
print("| trace-gpus-error | forecast error | greenlight | jobrunr | sdk | oracle saving | oracle on forecast | online p95 wait s (greenlight / fifo) | planner p95 ms |")
print("|---|---|---|---|---|---|---|---|---|")
print("\n".join(rows))
PY
