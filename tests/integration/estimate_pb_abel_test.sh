#!/usr/bin/env bash
# `kazmig estimate stocks --method pb` on the UN DESA stock tables of ../shared/data (skipped when
# absent), compared with Abel & Cohen's published flows for one period by
# bench/estimate_pb_compare.py (the full table is in docs/estimate.md).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$tmp"
SHARED=${KAZMIG_SHARED_DATA:-$KAZMIG_SOURCE_DIR/../shared/data}
if [ ! -d "$SHARED/undesa_global_stocks" ] || [ ! -d "$SHARED/abel_flows_undesa_stock_x80110" ]; then
  skip "$SHARED (undesa_global_stocks, abel_flows_undesa_stock_x80110) not present"
fi
python3 "$KAZMIG_SOURCE_DIR/bench/estimate_pb_compare.py" --kazmig "$KAZMIG" --shared "$SHARED" \
  --periods 2015 --check > compare.txt || { cat compare.txt; fail "pb on the global tables"; }
grep -q '^2015-2020' compare.txt || fail "no comparison row"
echo "estimate_pb_abel_test: ok"
