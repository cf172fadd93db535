#!/usr/bin/env bash
# Getting started (issue 18): `make install` (scripts/install.sh) puts kazmig and the data it reads
# at run time under a PREFIX, and the installed binary finds them beside itself; `make demo`
# (scripts/demo.sh) says where the binary is, how to put it on the PATH and which database the
# tour uses; `kazmig --help` lists only commands that exist; `traces simulate` shows a progress bar
# on a terminal only.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$tmp"

# --- install ------------------------------------------------------------------------------------
prefix=$tmp/prefix
PATH=/usr/bin:/bin bash "$KAZMIG_SOURCE_DIR/scripts/install.sh" "$KAZMIG" "$prefix" >install.txt ||
  fail "install.sh failed"
grep -qF "kazmig installed: $prefix/bin/kazmig" install.txt || fail "install names the binary"
grep -qF "$prefix/bin is not on your PATH" install.txt || fail "install says the PATH lacks it"
[ -x "$prefix/bin/kazmig" ] || fail "no $prefix/bin/kazmig"
[ -f "$prefix/share/kazmig/data/kz/net_internal.csv" ] || fail "built-in data not installed"
[ -f "$prefix/share/kazmig/data/scenarios/baseline.json" ] || fail "scenarios not installed"
# The installed binary reads the installed data, not the source tree: change one installed value.
sed -i 's/^10,2023,-6748,/10,2023,-6749,/' "$prefix/share/kazmig/data/kz/net_internal.csv"
grep -q '^10,2023,-6749,' "$prefix/share/kazmig/data/kz/net_internal.csv" ||
  fail "test setup: the value to change is not in net_internal.csv"
out=$("$prefix/bin/kazmig" --db "$tmp/installed.db" data show net_internal --region 10 --year 2023)
echo "$out" | grep -q '^net_internal,kz-2022,10,2023,-6749$' ||
  fail "the installed binary did not read PREFIX/share/kazmig/data/kz: $out"
# Installing again replaces the data (the change is gone).
bash "$KAZMIG_SOURCE_DIR/scripts/install.sh" "$KAZMIG" "$prefix" >/dev/null
grep -q '^10,2023,-6748,' "$prefix/share/kazmig/data/kz/net_internal.csv" ||
  fail "a second install did not replace the data"
expect_exit 2 "usage" bash "$KAZMIG_SOURCE_DIR/scripts/install.sh"

# --- demo's messages (a stand-in binary: the real report is tested elsewhere) -------------------
mkdir -p fake/bin
cat >fake/bin/kazmig <<'STUB'
#!/usr/bin/env bash
case "$*" in
  *report*) echo "/somewhere/report/index.html" ;;
esac
STUB
chmod +x fake/bin/kazmig
env -u KAZMIG_DB PATH=/usr/bin:/bin bash "$KAZMIG_SOURCE_DIR/scripts/demo.sh" fake/bin/kazmig >demo.txt ||
  fail "demo.sh failed"
grep -qF "The kazmig binary is:       $tmp/fake/bin/kazmig" demo.txt || fail "demo names the binary"
grep -qF "make install" demo.txt || fail "demo says how to install"
grep -qF "export PATH=\"$tmp/fake/bin:\$PATH\"" demo.txt || fail "demo says how to put it on PATH"
grep -qF "kazmig regions kz-2022 --format table" demo.txt || fail "demo names the tour's first command"
grep -qF "The tour uses your default database" demo.txt || fail "demo says which database the tour uses"
grep -qF "export KAZMIG_DB=$KAZMIG_SOURCE_DIR/build/demo/kazmig.db" demo.txt ||
  fail "demo says how to use its database"

# --- --help lists only commands that exist --------------------------------------------------------
commands=$("$KAZMIG" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$commands" ] || fail "no commands in --help"
for command in $commands; do
  "$KAZMIG" "$command" --help >/dev/null || fail "kazmig $command --help failed"
done
for expected in regions crosswalk data indicators model estimate project risk compare policy \
  factors potential report traces; do
  echo "$commands" | grep -qx "$expected" || fail "--help does not list $expected"
done

# --- traces simulate: a progress bar on a terminal, silent otherwise ------------------------------
"$KAZMIG" traces simulate --users 200 --days 100 --seed 1 --out-events ev.csv --out-truth tr.csv \
  2>err.txt
[ ! -s err.txt ] || fail "simulate wrote to stderr without a terminal: $(cat err.txt)"
if command -v script >/dev/null; then
  script -qc "$KAZMIG traces simulate --users 200 --days 100 --seed 1 --out-events ev2.csv --out-truth tr2.csv" \
    /dev/null >tty.txt </dev/null
  grep -q "100% 200 of 200 users" tty.txt || fail "no progress bar on a terminal: $(cat tty.txt)"
  script -qc "$KAZMIG --quiet traces simulate --users 200 --days 100 --seed 1 --out-events ev3.csv --out-truth tr3.csv" \
    /dev/null >quiet.txt </dev/null
  ! grep -q "users" quiet.txt || fail "--quiet still shows the progress bar"
  cmp -s ev.csv ev2.csv || fail "the progress bar changed the events"
fi
echo "getting_started_test: ok"
