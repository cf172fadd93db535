#!/usr/bin/env python3
"""Drives the real `kazmig serve` on a free loopback port (tests/integration/serve_api_test.sh).

Usage: serve_api.py KAZMIG TMPDIR [--heavy]

Starts the server with a temporary database and web root (a secret file lies beside the web root
and a symbolic link inside points at it), checks status codes, JSON shapes, content types, ETag
and 304, the 400/404/405/413 answers, path traversal in every spelling, the import endpoint's
token, and a clean exit on SIGTERM. The server process is always killed at the end.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

KAZMIG, TMP = sys.argv[1], sys.argv[2]
HEAVY = "--heavy" in sys.argv
SECRET = "TOPSECRET-7d1f0c"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message, file=sys.stderr)


def setup_web_root():
    web = os.path.join(TMP, "web")
    os.makedirs(os.path.join(web, "sub"), exist_ok=True)
    with open(os.path.join(web, "index.html"), "w") as f:
        f.write("<!doctype html><title>kazmig</title><p>dashboard</p>\n")
    with open(os.path.join(web, "app.js"), "w") as f:
        f.write("console.log('kazmig');\n")
    with open(os.path.join(web, "sub", "index.html"), "w") as f:
        f.write("<p>sub</p>\n")
    with open(os.path.join(TMP, "secret.txt"), "w") as f:
        f.write(SECRET + "\n")
    os.symlink(os.path.join(TMP, "secret.txt"), os.path.join(web, "link.txt"))
    return web


def start(args, env):
    log = open(os.path.join(TMP, "serve.log"), "w")
    proc = subprocess.Popen([KAZMIG, "serve", "--port", "0"] + args, stdout=subprocess.PIPE,
                            stderr=log, env=env, text=True)
    deadline = time.time() + 300
    line = ""
    while time.time() < deadline:
        line = proc.stdout.readline()
        if line or proc.poll() is not None:
            break
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not match:
        proc.kill()
        raise SystemExit("FAIL: kazmig serve did not print its URL: %r (log: %s)" %
                         (line, open(os.path.join(TMP, "serve.log")).read()))
    return proc, int(match.group(1))


def request(port, method, path, headers=None, body=None, timeout=600):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, dict((k.lower(), v) for k, v in response.getheaders()), data


def raw(port, data):
    """Sends raw bytes; returns (status, body bytes) of the first response (0 when none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout:
            pass
    reply = b"".join(chunks)
    match = re.match(rb"HTTP/1\.[01] (\d{3})", reply)
    return (int(match.group(1)) if match else 0), reply


def get_json(port, path, want=200):
    status, headers, data = request(port, "GET", path)
    check(status == want, "%s: status %d, want %d (%s)" % (path, status, want, data[:300]))
    check(headers.get("content-type", "").startswith("application/json"),
          "%s: content type %r" % (path, headers.get("content-type")))
    try:
        document = json.loads(data)
    except ValueError:
        check(False, "%s: body is not JSON: %r" % (path, data[:200]))
        return None, headers
    if want != 200:
        check(isinstance(document, dict) and document.get("status") == want and
              isinstance(document.get("error"), str) and document["error"],
              "%s: error body %r" % (path, document))
    return document, headers


def error_names(port, path, word, want=400):
    document, _ = get_json(port, path, want)
    if document is not None:
        check(word in document.get("error", ""),
              "%s: error %r does not name %r" % (path, document.get("error"), word))


def each_provenance(values, path):
    for row in values:
        if row.get("value") is not None:
            p = row.get("provenance")
            check(isinstance(p, dict) and p.get("kind") in ("official", "estimated"),
                  "%s: a value without provenance: %r" % (path, row))
            return


def run_checks(port):
    # health, content type, caching headers, ETag, 304, HEAD
    status, headers, data = request(port, "GET", "/api/health")
    check(status == 200 and json.loads(data) == {"status": "ok"}, "health: %d %r" % (status, data))
    check(headers.get("content-type") == "application/json; charset=utf-8",
          "health content type %r" % headers.get("content-type"))
    etag = headers.get("etag", "")
    check(re.fullmatch(r'"[0-9a-f]{16}-[0-9a-f]+"', etag) is not None, "strong ETag: %r" % etag)
    check(headers.get("cache-control") == "no-cache", "Cache-Control %r" % headers.get("cache-control"))
    status, headers, data = request(port, "GET", "/api/health", {"If-None-Match": etag})
    check(status == 304 and data == b"", "If-None-Match: %d %r" % (status, data))
    status, _, data = request(port, "GET", "/api/health", {"If-None-Match": '"0000000000000000-1"'})
    check(status == 200, "a stale ETag: %d" % status)
    status, headers, data = request(port, "HEAD", "/api/health")
    check(status == 200 and data == b"" and headers.get("etag") == etag, "HEAD: %d" % status)

    regions, _ = get_json(port, "/api/regions")
    check(isinstance(regions, list) and len(regions) == 20, "regions: 20, got %r" % (
        len(regions) if isinstance(regions, list) else regions))
    if isinstance(regions, list) and regions:
        first = regions[0]
        for key in ("id", "iso", "name", "name_ru", "name_kk", "centroid"):
            check(key in first, "regions: key %s missing" % key)
    almaty, _ = get_json(port, "/api/regions/75")
    check(almaty is not None and almaty.get("id") == "75" and "Almaty" in almaty.get("name", ""),
          "regions/75: %r" % almaty)
    error_names(port, "/api/regions/99", "99", 404)
    error_names(port, "/api/regions/75?vintage=kz-1999", "vintage")
    old, _ = get_json(port, "/api/regions?vintage=kz-2009")
    check(isinstance(old, list) and len(old) == 16, "regions kz-2009: 16")

    boundaries, _ = get_json(port, "/api/boundaries")
    features = boundaries.get("features", []) if boundaries else []
    check(boundaries is not None and boundaries.get("type") == "FeatureCollection" and
          len(features) == 20 and all("id" in f["properties"] and "name" in f["properties"]
                                      for f in features), "boundaries: 20 features with id, name")

    layer, _ = get_json(port, "/api/map?indicator=net_rate")
    if layer:
        for key in ("indicator", "label", "unit", "decimals", "year", "years", "indicators",
                    "values"):
            check(key in layer, "map: key %s missing" % key)
        check(len(layer.get("indicators", [])) == 8, "map: eight indicators")
        check(len(layer.get("values", [])) == 20, "map: 20 values")
        check(layer.get("year") == max(layer.get("years", [0])), "map: the latest year by default")
        each_provenance(layer.get("values", []), "map")
        years = layer.get("years", [])
        if len(years) > 1:
            older, _ = get_json(port, "/api/map?indicator=net_rate&year=%d" % years[0])
            check(older is not None and older["values"] != layer["values"],
                  "map: another year, other values")
    for indicator in ("population", "arrivals", "departures", "unemployment", "income"):
        other, _ = get_json(port, "/api/map?indicator=" + indicator)
        if other:
            each_provenance(other.get("values", []), "map " + indicator)
    error_names(port, "/api/map?indicator=net_rate&year=1950", "year")
    error_names(port, "/api/map?indicator=net_rate&year=20x4", "year")
    error_names(port, "/api/map?indicator=bogus", "indicator")
    error_names(port, "/api/map", "indicator")
    error_names(port, "/api/map?indicator=net_rate&colour=red", "colour")
    error_names(port, "/api/map?indicator=net_rate&indicator=population", "indicator")

    series, _ = get_json(port, "/api/series?indicator=net_internal&region=75")
    if series:
        check(len(series.get("values", [])) > 0, "series: values")
        each_provenance(series.get("values", []), "series")
        check(isinstance(series.get("measures"), list) and isinstance(series.get("breaks"), list),
              "series: measures and breaks")
    pop, _ = get_json(port, "/api/series?indicator=population_jan1&region=75")
    check(pop is not None and any(b["year"] in (2017, 2022) for b in pop.get("breaks", [])),
          "series population_jan1: boundary breaks")
    error_names(port, "/api/series?indicator=net_internal&region=99", "99", 404)
    error_names(port, "/api/series?indicator=no_such_thing&region=75", "no_such_thing")
    error_names(port, "/api/series?indicator=net_internal", "region")

    indicators, _ = get_json(port, "/api/indicators")
    check(indicators is not None, "indicators")
    indicators2023, _ = get_json(port, "/api/indicators?year=2023")
    check(indicators2023 is not None, "indicators 2023")
    flows, _ = get_json(port, "/api/flows")
    if flows:
        rows = flows.get("flows", [])
        check(len(rows) == 380, "flows: 20 x 19 rows, got %d" % len(rows))
        check(all(r["provenance"]["kind"] == "estimated" and r["low"] <= r["value"] <= r["high"]
                  for r in rows), "flows: estimated, low <= value <= high")
        check(len(flows.get("regions", [])) == 20, "flows: region centroids")
    error_names(port, "/api/flows?year=1990", "1990")
    international, _ = get_json(port, "/api/flows/international")
    if international:
        chord = international.get("chord", {})
        check(len(chord.get("links", [])) > 0 and chord.get("nodes", [{}])[0].get("id") == "KAZ",
              "international: chord with KAZ first")
        each_provenance(international.get("rows", []), "international")
    official, _ = get_json(port, "/api/flows/international?period=2023")
    check(official is not None and official.get("chord", {}).get("source") == "official",
          "international 2023: official")
    error_names(port, "/api/flows/international?period=1800-1805", "1800-1805")
    error_names(port, "/api/flows/international?period=x", "period")

    # unknown paths and methods
    error_names(port, "/api/nothing", "nothing", 404)
    status, headers, data = request(port, "PUT", "/api/health", body=b"x")
    check(status == 405, "PUT: %d" % status)
    status, headers, data = request(port, "DELETE", "/index.html")
    check(status == 405, "DELETE: %d" % status)
    # a read-only server: no writing endpoint
    status, _, data = request(port, "POST", "/api/import?format=tidy-series", body=b"region,value,year\n")
    check(status == 403, "import on a read-only server: %d" % status)
    # oversize request body: 413 (the limit is 1 MiB in this test)
    status, _, data = request(port, "POST", "/api/import?format=tidy-series", body=b"x" * (2 << 20))
    check(status == 413, "oversize body: %d" % status)
    # a request line beyond the library's 8 KiB: refused, the server survives
    status, _ = raw(port, b"GET /api/health?" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    check(status in (400, 413, 414, 0), "huge request line: %d" % status)
    status, _ = raw(port, b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20000 +
                    b"\r\n\r\n")
    check(status in (400, 413, 431, 0), "huge header: %d" % status)

    # static files and traversal
    status, headers, data = request(port, "GET", "/")
    check(status == 200 and b"dashboard" in data and headers.get("content-type", "").startswith(
        "text/html"), "GET /: %d %r" % (status, headers.get("content-type")))
    status, headers, _ = request(port, "GET", "/app.js")
    check(status == 200 and "javascript" in headers.get("content-type", ""), "app.js")
    status, _, data = request(port, "GET", "/sub/")
    check(status == 200 and b"sub" in data, "sub/: %d" % status)
    status, _, _ = request(port, "GET", "/missing.js")
    check(status == 404, "missing file: %d" % status)
    secret_name = os.path.basename(TMP)
    attempts = [
        b"/../secret.txt", b"/sub/../../secret.txt", b"/%2e%2e/secret.txt", b"/%2E%2E/secret.txt",
        b"/..%2fsecret.txt", b"/..%2Fsecret.txt", b"/%2e%2e%2fsecret.txt", b"/sub/%2e%2e/%2e%2e/secret.txt",
        b"/..\\secret.txt", b"/%5c..%5csecret.txt", b"/..%5csecret.txt", b"/link.txt",
        b"//etc/passwd", b"/" + TMP.encode() + b"/secret.txt", TMP.encode() + b"/secret.txt",
        b"/%00/../secret.txt", b"/index.html%00.txt", b"/./index.html", b"/sub/./../../secret.txt",
        b"/%252e%252e/secret.txt", b"/..;/secret.txt", b"/.%2e/secret.txt",
        b"/../" + secret_name.encode() + b"/secret.txt", b"/etc/passwd",
        b"http://127.0.0.1/../secret.txt",
    ]
    for path in attempts:
        status, reply = raw(port, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check(status in (400, 404), "traversal %r: status %d" % (path, status))
        check(SECRET.encode() not in reply and b"root:" not in reply,
              "traversal %r: served a file outside the web root" % path)
    status, reply = raw(port, b"GET /\x00/../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    check(SECRET.encode() not in reply, "raw NUL: served the secret")
    status, reply = raw(port, b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    check(status == 200, "the server still answers after the attempts: %d" % status)


def run_heavy(port):
    factors, _ = get_json(port, "/api/factors")
    check(factors is not None, "factors")
    risk, _ = get_json(port, "/api/risk")
    check(risk is not None and len(risk.get("regions", [])) == 20, "risk: 20 regions")
    layer, _ = get_json(port, "/api/map?indicator=risk_score")
    check(layer is not None and sum(v["value"] is not None for v in layer["values"]) == 20,
          "map risk_score")
    scenarios, _ = get_json(port, "/api/scenarios")
    names = [s["id"] for s in scenarios.get("scenarios", [])] if scenarios else []
    check("baseline" in names and len(names) >= 2, "scenarios: %r" % names)
    check(scenarios is not None and len(scenarios.get("comparison", [])) > 0, "scenarios: comparison")
    for name in names:
        fan, _ = get_json(port, "/api/projections?scenario=" + name)
        check(fan is not None and len(fan.get("national", [])) > 0, "projections " + name)
    one, _ = get_json(port, "/api/projections?scenario=baseline&region=75")
    check(one is not None and {r["region"] for r in one.get("rows", [])} == {"75"},
          "projections region 75")
    error_names(port, "/api/projections?scenario=nosuch", "nosuch")
    error_names(port, "/api/projections?scenario=baseline&region=99", "99", 404)
    layer, _ = get_json(port, "/api/map?indicator=projected_change")
    check(layer is not None and len(layer.get("values", [])) == 20, "map projected_change")
    policy, _ = get_json(port, "/api/policy")
    check(policy is not None and len(policy.get("measures", [])) > 0, "policy: measures")


def stop(proc, want_clean):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=20)
            if want_clean:
                check(rc == 0, "SIGTERM: exit %d, want 0" % rc)
        except subprocess.TimeoutExpired:
            check(False, "SIGTERM: still running after 20 s")
            proc.kill()
            proc.wait()


def main():
    env = dict(os.environ)
    env["KAZMIG_DB"] = os.path.join(TMP, "kazmig.db")
    web = setup_web_root()
    # --allow-import without a token file is refused (exit 2), as is a short token.
    rc = subprocess.run([KAZMIG, "serve", "--port", "0", "--allow-import"], env=env,
                        capture_output=True, timeout=60).returncode
    check(rc == 2, "--allow-import without --token-file: exit %d, want 2" % rc)
    short = os.path.join(TMP, "short.token")
    with open(short, "w") as f:
        f.write("abc\n")
    rc = subprocess.run([KAZMIG, "serve", "--port", "0", "--allow-import", "--token-file", short],
                        env=env, capture_output=True, timeout=60).returncode
    check(rc == 3, "a short token: exit %d, want 3" % rc)

    proc, port = start(["--web-root", web, "--max-body-mb", "1"], env)
    try:
        run_checks(port)
        if HEAVY:
            run_heavy(port)
    finally:
        stop(proc, want_clean=True)

    # --allow-import with a token: 401 without it, 403 with a wrong one, 200 with the right one.
    token = os.path.join(TMP, "import.token")
    with open(token, "w") as f:
        f.write("s3cret-token-0123456789\n")
    proc, port = start(["--web-root", web, "--allow-import", "--token-file", token], env)
    try:
        body = b"region,value,year\n75,1.5,2023\n71,2.5,2023\n"
        path = "/api/import?format=tidy-series&indicator=serve_test_metric&source=test&unit=index"
        status, headers, _ = request(port, "POST", path, body=body)
        check(status == 401 and headers.get("www-authenticate") == "Bearer", "no token: %d" % status)
        status, _, _ = request(port, "POST", path, {"Authorization": "Bearer wrong-token-0123456789"}, body)
        check(status == 403, "wrong token: %d" % status)
        get_json(port, "/api/series?indicator=serve_test_metric&region=75", 400)
        status, _, data = request(port, "POST", path,
                                  {"Authorization": "Bearer s3cret-token-0123456789"}, body)
        check(status == 200 and json.loads(data).get("values") == 2, "import: %d %r" % (status, data))
        series, _ = get_json(port, "/api/series?indicator=serve_test_metric&region=75")
        check(series is not None and series["values"][0]["value"] == 1.5, "imported series served")
        status, _, data = request(port, "POST", "/api/import?format=nope",
                                  {"Authorization": "Bearer s3cret-token-0123456789"}, body)
        check(status == 400 and b"format" in data, "import: unknown format %d" % status)
    finally:
        stop(proc, want_clean=True)

    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        sys.exit(1)
    print("serve_api: all checks passed")


if __name__ == "__main__":
    main()
