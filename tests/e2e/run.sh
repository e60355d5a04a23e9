#!/usr/bin/env bash
# Browser end-to-end suite: installs what it needs, builds the fixture and seed sites, opens
# them from disk in headless Chromium, and validates every HTML file with the Nu checker.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
cd "$here"

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  echo "installing chromium and fonts-noto-cjk"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) >/dev/null
fi
if ! command -v java >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless) >/dev/null
fi
[ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] && [ -d node_modules/vnu-jar ] || npm install --no-audit --no-fund --silent

bin="$top/target/release/seisaku"
[ -x "$bin" ] || (cd "$top" && cargo build --release)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$bin" build --root "$top/tests/fixtures/basic" --out "$out/fixture"
"$bin" build --root "$top" --out "$out/seed"

echo "== Nu HTML checker on every generated page"
find "$out" -name '*.html' | sort > "$out/pages.txt"
n=$(wc -l < "$out/pages.txt")
java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --format gnu $(cat "$out/pages.txt") 2> "$out/vnu.txt" || true
errors=$(grep -c ':' "$out/vnu.txt" || true)
echo "vnu: $n pages checked, $errors error(s)"
if [ "$errors" != "0" ]; then head -40 "$out/vnu.txt"; exit 1; fi

echo "== node tests (tokenizer vectors, browser)"
E2E_SITES="$out/fixture:$out/seed" node --test --test-concurrency=1 search_tokens.test.mjs browser.test.mjs
