#!/usr/bin/env python3
"""Bounded load test of `seisaku serve` on loopback.

    load_test.py SEISAKU SITE [CONCURRENCY]

1. CONCURRENCY (default 1000) requests at once over every page of the site;
2. requests while the site rebuilds after edits: no error, no half-written page;
3. path traversal, encoded traversal, absolute paths and symlinks out of the site refused.
Every loop is bounded; the server is stopped at the end.
"""
import concurrent.futures as cf, glob, os, re, socket, subprocess, sys, time

seisaku, site = sys.argv[1], sys.argv[2]
conc = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
proc = subprocess.Popen([seisaku, "serve", "--port", "0", "--root", site], stderr=subprocess.PIPE, text=True)


def get(addr, path):
    s = socket.create_connection(addr, timeout=30)
    s.sendall(("GET %s HTTP/1.0\r\nHost: x\r\n\r\n" % path).encode())
    buf = b""
    while True:
        c = s.recv(65536)
        if not c:
            break
        buf += c
    s.close()
    head, _, body = buf.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


try:
    addr = None
    deadline = time.time() + 120
    while addr is None and time.time() < deadline:
        m = re.search(r"http://([0-9.]+):(\d+)/", proc.stderr.readline())
        if m:
            addr = (m.group(1), int(m.group(2)))
    paths = ["/", "/policies/index.html", "/glossary/index.html", "/kpis/index.html", "/search/index.html", "/static/style.css", "/search-index.js"]
    t0 = time.time()
    with cf.ThreadPoolExecutor(max_workers=min(conc, 200)) as ex:
        results = list(ex.map(lambda i: get(addr, paths[i % len(paths)]), range(conc)))
    dt = time.time() - t0
    bad = [r[0] for r in results if r[0] != 200]
    print("%d concurrent requests: %d errors, %.2f s, %.0f req/s" % (conc, len(bad), dt, conc / dt))
    assert not bad

    target = sorted(glob.glob(os.path.join(site, "content/policies/*.md")))[0]
    original = open(target, encoding="utf-8").read()
    errors = incomplete = n = 0
    t0 = time.time()
    for i in range(20):
        with open(target, "w", encoding="utf-8") as f:
            f.write(original.replace("\n+++\n", "\n+++\n負荷試験%d。" % i, 1))
        with cf.ThreadPoolExecutor(max_workers=50) as ex:
            for status, body in ex.map(lambda j: get(addr, paths[j % 3]), range(100)):
                n += 1
                errors += status != 200
                incomplete += status == 200 and not body.rstrip().endswith(b"</html>")
    with open(target, "w", encoding="utf-8") as f:
        f.write(original)
    print("%d requests during 20 rebuilds in %.1f s: %d errors, %d incomplete pages" % (n, time.time() - t0, errors, incomplete))
    assert errors == 0 and incomplete == 0

    refused = 0
    for p in ["/../Cargo.toml", "/%2e%2e/site.toml", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "//etc/passwd", "/static/../../site.toml", "/..%5c..%5csite.toml"]:
        status, body = get(addr, p)
        ok = status in (400, 404) and b"root:" not in body and b"title =" not in body
        refused += ok
        print("  %-40s %d %s" % (p, status, "refused" if ok else "LEAKED"))
    assert refused == 6
    print("load test passed")
finally:
    proc.terminate()
    proc.wait(timeout=10)
