#!/usr/bin/env bash
# Replays four 3.5-day windows a year on every trace in shared/data/carbon (the four weeks of the CAISO North month),
# under fifo, jobrunr, sdk, greenlight and the oracle, with a perfect forecast and with gaussian:0.10, two runs at a time.
# Writes one JSON report per run under target/sim/windows-LOAD-GPUS-HISTORY/ and prints a Markdown table: per trace
# and window the fraction of the oracle's saving (perfect / gaussian:0.10, the oracle's saving), then pooled over the
# four windows (fifo's carbon minus greenlight's over fifo's minus the oracle's, summed); last, in how many runs greenlight
# emitted less than jobrunr and sdk, and each policy's deadline misses (reports made without jobrunr and sdk count as
# not compared).
#   ops/bench/simulate-windows.sh [LOAD=0.8] [GPUS=2] [HISTORY_DAYS=1] [TRACE_REGEX=.]   (Java 21+: set JAVA_HOME when the default java is older)
# SEED=S draws other workloads (default 7, the seed every setting was chosen with) into folders ending -seedS.
# POLICY=name=value changes one setting of the default policy (the simulator's --policy, e.g. slot_minutes=15), into
# folders ending -policy-name-value.
# JAR=path replays another build (a copy, so that rebuilding target/ meanwhile does not change the runs under way).
# TRACE_REGEX (grep -E on the trace's file name) replays only some traces; the table covers every report in the folder.
# WINDOWS=held-out replays four other windows (mid-February, -May, -August and -November; CAISO North has one month,
# so its held-out windows start on 12, 18 and 24 June and 2 July, between the usual ones), which no planner setting was ever tuned on, into
# target/sim/held-out-LOAD-GPUS-HISTORY/.
set -euo pipefail
cd "$(dirname "$0")/../.."
load="${1:-0.8}"; gpus="${2:-2}"; history="${3:-1}"; only="${4:-.}"
data=../shared/data/carbon
windows="${WINDOWS:-seasons}"; seed="${SEED:-7}"
case "$windows" in seasons) out="target/sim/windows-$load-$gpus-$history" ;; held-out) out="target/sim/held-out-$load-$gpus-$history" ;;
  *) echo "WINDOWS must be seasons or held-out" >&2; exit 2 ;; esac
[[ "$seed" == 7 ]] || out="$out-seed$seed"
policy="${POLICY:-}"
[[ -z "$policy" ]] || out="$out-policy-${policy//=/-}"
mkdir -p "$out"
jar="${JAR:-target/greenlight.jar}"
[[ -f "$jar" ]] || mvn -q -DskipTests package
python3 ops/bench/moer-to-gco2.py "$data/CAISO_NORTH_2023-06_watttime_moer_5min.csv" "$out/CAISO_NORTH_2023-06_moer_5min.csv"
runs=()
for trace in "$data"/*_em_hourly.csv "$data"/*_lwa_*.csv "$out/CAISO_NORTH_2023-06_moer_5min.csv"; do
  name=$(basename "$trace" .csv)
  grep -qE "$only" <<< "$name" || continue
  year=$(echo "$name" | grep -o '20[0-9][0-9]' | head -1)
  case "$windows-$name" in
    seasons-*_lwa_*) starts="2019-12-21 2020-03-25 2020-06-28 2020-10-01" ;;
    seasons-CAISO_NORTH*) starts="2023-06-09 2023-06-15 2023-06-21 2023-06-27" ;;
    seasons-*) starts="$year-01-02 $year-04-01 $year-06-30 $year-09-28" ;;
    held-out-CAISO_NORTH*) starts="2023-06-12 2023-06-18 2023-06-24 2023-07-02" ;;
    held-out-*) starts="$year-02-14 $year-05-15 $year-08-14 $year-11-13" ;;
  esac
  w=0
  for start in $starts; do
    w=$((w + 1))
    for err in none gaussian:0.10; do
      runs+=("$trace $name $w ${start}T00:00:00Z $err")
    done
  done
done
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
printf '%s\n' "${runs[@]}" | xargs -P 2 -L 1 bash -c '
  report="'"$out"'/$1-w$2-${4/:/_}.json"
  [[ -f "$report" ]] || "'"$java"'" -jar "'"$jar"'" simulate --trace "r=$0" --gpus "r='"$gpus"'" --synthetic $((8000 * '"$gpus"')) \
    --load "'"$load"'" --seed "'"$seed"'" --forecast-error "$4" --history-days "'"$history"'" --start "$3" --policies fifo,jobrunr,sdk,greenlight,oracle '"${policy:+--policy $policy}"' \
    --out "$report" > /dev/null'
python3 - "$out" "$load" <<'PY'
import json, glob, os, sys, collections
out, load = sys.argv[1], sys.argv[2]
runs = collections.defaultdict(dict)
misses = 0
for f in glob.glob(os.path.join(out, "*.json")):
    name, w, err = os.path.basename(f)[:-5].rsplit("-", 2)
    p = json.load(open(f))["policies"]
    runs[name][(int(w[1:]), err)] = p
    misses += p["greenlight"]["deadline_misses"]
print("| trace, %d %% | window 1 | window 2 | window 3 | window 4 | pooled, perfect | pooled, gaussian:0.10 |" % round(float(load) * 100))
print("|---|---|---|---|---|---|---|")
reach = {"none": [], "gaussian_0.10": []}
for name in sorted(runs):
    r = runs[name]
    cells = []
    for w in range(1, 5):
        a, b = r.get((w, "none")), r.get((w, "gaussian_0.10"))
        if a is None or b is None:
            cells.append("-"); continue
        cells.append("%.2f / %.2f (%.1f %%)" % (a["greenlight"]["fraction_of_oracle"], b["greenlight"]["fraction_of_oracle"], 100 * a["oracle"]["savings_vs_fifo"]))
    pooled = []
    for err in ("none", "gaussian_0.10"):
        ps = [r[(w, err)] for w in range(1, 5) if (w, err) in r]
        saved = sum(p["fifo"]["carbon_g"] - p["greenlight"]["carbon_g"] for p in ps)
        possible = sum(p["fifo"]["carbon_g"] - p["oracle"]["carbon_g"] for p in ps)
        pooled.append(saved / possible)
        reach[err].append(saved / possible)
    print("| %s | %s | %.3f | %.3f |" % (name, " | ".join(cells), pooled[0], pooled[1]))
print("| reaching the target pooled | | | | | %d of %d (mean %.3f) | %d of %d (mean %.3f) |" % (
    sum(v >= 0.9 for v in reach["none"]), len(reach["none"]), sum(reach["none"]) / len(reach["none"]),
    sum(v >= 0.8 for v in reach["gaussian_0.10"]), len(reach["gaussian_0.10"]), sum(reach["gaussian_0.10"]) / len(reach["gaussian_0.10"])))
print("\ndeadline misses (greenlight, all runs): %d" % misses)
compared = [p for r in runs.values() for p in r.values() if "jobrunr" in p and "sdk" in p]
if compared:
    below = sum(p["greenlight"]["carbon_g"] < min(p["jobrunr"]["carbon_g"], p["sdk"]["carbon_g"]) for p in compared)
    print("greenlight below both jobrunr and sdk in %d of %d runs; deadline misses greenlight / jobrunr / sdk: %d / %d / %d" % (
        below, len(compared), *(sum(p[k]["deadline_misses"] for p in compared) for k in ("greenlight", "jobrunr", "sdk"))))
    margins = sorted((min(p["jobrunr"]["carbon_g"], p["sdk"]["carbon_g"]) - p["greenlight"]["carbon_g"]) / p["fifo"]["carbon_g"] for p in compared)
    print("greenlight's lead over the better of jobrunr and sdk, share of fifo's carbon: min %.2f %%, median %.2f %%" % (
        100 * margins[0], 100 * margins[len(margins) // 2]))
allruns = [p for r in runs.values() for p in r.values()]
waits = [p["greenlight"]["p95_delay_s"] for p in allruns]
fifo_waits = [p["fifo"]["p95_delay_s"] for p in allruns]
print("online p95 wait, s: greenlight %.0f-%.0f (mean %.0f), fifo %.0f-%.0f (mean %.0f)" % (
    min(waits), max(waits), sum(waits) / len(waits), min(fifo_waits), max(fifo_waits), sum(fifo_waits) / len(fifo_waits)))
PY
