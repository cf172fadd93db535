#!/usr/bin/env bash
# `kazmig estimate stocks --method pb` on the world (../shared/data/azose_raftery_wpp2019: Abel &
# Cohen's 200 countries, UN 2019 stocks, WPP2019 births and deaths; $KAZMIG_SHARED_DATA
# overrides; skipped when absent), 1995-2000, through bench/estimate_pb_parity.py --check: the
# estimate converges, every region's account closes, and Kazakhstan -> Russia is within 1% of
# Abel & Cohen's published 1,246,007. It also prints the correlations with the built-in
# abel_flows (docs/estimate.md has the table for every period).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$tmp"
SHARED=${KAZMIG_SHARED_DATA:-$KAZMIG_SOURCE_DIR/../shared/data}
[ -d "$SHARED/azose_raftery_wpp2019" ] || skip "$SHARED/azose_raftery_wpp2019 not present"
python3 "$KAZMIG_SOURCE_DIR/bench/estimate_pb_parity.py" --kazmig "$KAZMIG" --shared "$SHARED" \
  --periods 1995 --check > parity.txt 2>&1 || { cat parity.txt; fail "pb parity on the world"; }
cat parity.txt
grep -q '^1995-2000' parity.txt || fail "no parity row"
echo "estimate_pb_parity_test: ok"
