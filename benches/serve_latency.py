#!/usr/bin/env python3
"""Save-to-reload latency of `seisaku serve`: edit a policy, time until the reload event.

    serve_latency.py SEISAKU SITE [EDITS] [PAUSE]

PAUSE is the time in seconds between a reload and the next save (default 1.0: an editor
looking at the page). With a short pause (0.2) a save can arrive while the search index of
the previous one is still being made.
"""
import os, socket, statistics, subprocess, sys, time, glob, re

seisaku, site, edits = sys.argv[1], sys.argv[2], int(sys.argv[3] if len(sys.argv) > 3 else 20)
PAUSE = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
proc = subprocess.Popen([seisaku, "serve", "--port", "0", "--root", site], stderr=subprocess.PIPE, text=True)
try:
    addr = None
    deadline = time.time() + 120
    while time.time() < deadline and addr is None:
        line = proc.stderr.readline()
        m = re.search(r"http://([0-9.]+):(\d+)/", line)
        if m:
            addr = (m.group(1), int(m.group(2)))
    s = socket.create_connection(addr, timeout=60)
    s.sendall(b"GET /__seisaku/events HTTP/1.1\r\nHost: x\r\n\r\n")
    buf = b""

    def next_event():
        global buf
        while b"\n\n" not in buf.split(b"\r\n\r\n", 1)[-1] or True:
            if b"event: " in buf:
                i = buf.index(b"event: ")
                j = buf.find(b"\n\n", i)
                if j != -1:
                    ev = buf[i:j]
                    buf = buf[j + 2:]
                    return ev.split(b"\n")[0][7:].decode()
            chunk = s.recv(65536)
            if not chunk:
                raise SystemExit("stream closed")
            buf += chunk

    next_event()  # the current state
    target = sorted(glob.glob(os.path.join(site, "content/policies/*.md")))[0]
    original = open(target, encoding="utf-8").read()
    times = []
    for i in range(edits):
        t0 = time.time()
        with open(target, "w", encoding="utf-8") as f:
            f.write(original.replace("\n+++\n", "\n+++\n編集%d。" % i, 1))
        ev = next_event()
        times.append((time.time() - t0) * 1000)
        assert ev == "reload", ev
        time.sleep(PAUSE)
    with open(target, "w", encoding="utf-8") as f:
        f.write(original)
    print("  %s: median %.0f ms, min %.0f ms, max %.0f ms over %d edits, %.1f s apart" % (site, statistics.median(times), min(times), max(times), edits, PAUSE))
finally:
    proc.terminate()
    proc.wait()
