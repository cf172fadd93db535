#!/usr/bin/env bash
# `kazmig serve` runs the server executable kazmig-serve (tools/kazmig/serve.h): beside the binary
# in the build tree, PREFIX/lib/kazmig/kazmig-serve once installed (scripts/install.sh). The
# installed server reads the installed data and web root, as PREFIX/bin/kazmig does; it is the same
# process `kazmig serve` started (exec), so SIGTERM stops it with exit 0; without kazmig-serve,
# `kazmig serve` fails with exit 1 naming where it looked, and its --help still works.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v curl >/dev/null || skip "curl not installed"
cd "$tmp"

prefix=$tmp/prefix
bash "$KAZMIG_SOURCE_DIR/scripts/install.sh" "$KAZMIG" "$prefix" >install.txt || fail "install.sh failed"
[ -x "$prefix/lib/kazmig/kazmig-serve" ] || fail "no $prefix/lib/kazmig/kazmig-serve"
[ ! -e "$prefix/bin/kazmig-serve" ] || fail "kazmig-serve installed on the PATH"
# One changed installed value and an installed web root: the server must use both.
sed -i 's/^10,2023,-6748,/10,2023,-6749,/' "$prefix/share/kazmig/data/kz/net_internal.csv"
grep -q '^10,2023,-6749,' "$prefix/share/kazmig/data/kz/net_internal.csv" ||
  fail "test setup: the value to change is not in net_internal.csv"
mkdir -p "$prefix/share/kazmig/web"
echo "<p>installed web root</p>" >"$prefix/share/kazmig/web/index.html"

# From a folder without the source tree's data in reach of the binary's own location.
"$prefix/bin/kazmig" --db "$tmp/installed.db" serve --port 0 >serve.out 2>serve.err &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 600); do
  grep -q "http://" serve.out 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || fail "kazmig serve exited: $(cat serve.err)"
  sleep 0.1
done
port=$(sed -n 's|^kazmig serve: http://127\.0\.0\.1:\([0-9]*\)/ .*|\1|p' serve.out)
[ -n "$port" ] || fail "no URL printed: $(cat serve.out)"
grep -qF "(web root $prefix/share/kazmig/web; read-only)" serve.out ||
  fail "the installed server does not use PREFIX/share/kazmig/web: $(cat serve.out)"
[ "$(readlink "/proc/$pid/exe")" = "$prefix/lib/kazmig/kazmig-serve" ] ||
  fail "the process kazmig serve started is not kazmig-serve: $(readlink "/proc/$pid/exe")"
curl -sf "http://127.0.0.1:$port/" | grep -q "installed web root" || fail "GET / is not the installed page"
curl -sf "http://127.0.0.1:$port/api/series?indicator=net_internal&region=10" >series.json ||
  fail "GET /api/series failed"
grep -q -- '-6749' series.json || fail "the installed server did not read PREFIX/share/kazmig/data/kz"
grep -q -- '-6748' series.json && fail "the installed server read the source tree's data"
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "SIGTERM: exit $rc, expected 0 ($(cat serve.err))"

# kazmig without kazmig-serve beside it (nor in ../lib/kazmig).
mkdir -p lonely/bin
cp "$KAZMIG" lonely/bin/kazmig
expect_exit 1 "cannot run kazmig-serve, the server of .kazmig serve. (tried $tmp/lonely/bin/kazmig-serve, $tmp/lonely/lib/kazmig/kazmig-serve)" \
  lonely/bin/kazmig serve --port 0
lonely/bin/kazmig serve --help | grep -q -- "--allow-import" || fail "serve --help needs the server"
expect_exit 2 "--allow-import needs --token-file" lonely/bin/kazmig serve --allow-import
echo "serve_install_test: ok"
