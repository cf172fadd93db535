#!/usr/bin/env bash
# Under MPI (mpiexec -n 2), kazmig traces detect gives byte-identical output to one process.
# Runs only when an MPI build exists: $KAZMIG_MPI_BIN, or build-mpi/bin/kazmig in the source tree
# (cmake -B build-mpi -DKAZMIG_MPI=ON && ninja -C build-mpi kazmig).
set -euo pipefail
mpi_bin="${KAZMIG_MPI_BIN:-$KAZMIG_SOURCE_DIR/build-mpi/bin/kazmig}"
if [ ! -x "$mpi_bin" ] || ! command -v mpiexec >/dev/null; then
  echo "SKIP: no MPI build ($mpi_bin) or no mpiexec"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$KAZMIG" traces simulate --users 400 --days 500 --seed 4 --trip-rate 0.003 --out-events "$tmp/ev.csv" \
  --out-truth "$tmp/truth.csv"
"$KAZMIG" traces detect --input "$tmp/ev.csv" --segments-out "$tmp/seg1.csv" >"$tmp/one.csv"
mpiexec -n 2 "$mpi_bin" traces detect --threads 1 --input "$tmp/ev.csv" \
  --segments-out "$tmp/seg2.csv" >"$tmp/two.csv"
[ "$(wc -l <"$tmp/one.csv")" -gt 50 ]
cmp "$tmp/one.csv" "$tmp/two.csv"
cmp "$tmp/seg1.csv" "$tmp/seg2.csv"
echo "traces MPI: OK"
