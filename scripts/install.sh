#!/usr/bin/env bash
# The job of `make install`: copies the kazmig binary and the data it reads at run time.
#
#   bash scripts/install.sh build/bin/kazmig PREFIX
#
# Installs PREFIX/bin/kazmig and PREFIX/lib/kazmig/kazmig-serve (the server `kazmig serve` runs,
# built beside the binary; docs/http.md), with PREFIX/lib/kazmig/libkazmig_mpi.so from an MPI build
# and the dashboard bundle in PREFIX/share/kazmig/web when it was built, and
# PREFIX/share/kazmig/data/{kz,scenarios} (the built-in dataset and the scenario files; the
# installed binary finds them beside itself, app/paths.h). Installing again replaces them all.
# PREFIX defaults to ~/.local (make install PREFIX=/opt/kazmig to choose another).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: bash scripts/install.sh PATH/TO/kazmig PREFIX" >&2
  exit 2
fi
binary=$1
prefix=$2
if [ ! -x "$binary" ]; then
  echo "install: $binary is not an executable kazmig binary (run \`make build\` first)" >&2
  exit 1
fi
server=$(dirname "$binary")/kazmig-serve
if [ ! -x "$server" ]; then
  echo "install: no $server beside $binary (run \`make build\` first)" >&2
  exit 1
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
share=$prefix/share/kazmig/data

mkdir -p "$prefix/bin" "$share"
install -m 755 "$binary" "$prefix/bin/kazmig.new"
mv -f "$prefix/bin/kazmig.new" "$prefix/bin/kazmig"
# `kazmig serve` runs kazmig-serve, which an installed PREFIX/bin/kazmig finds in PREFIX/lib/kazmig
# (tools/kazmig/serve_exec.cc).
mkdir -p "$prefix/lib/kazmig"
install -m 755 "$server" "$prefix/lib/kazmig/kazmig-serve.new"
mv -f "$prefix/lib/kazmig/kazmig-serve.new" "$prefix/lib/kazmig/kazmig-serve"
# An MPI build (-DKAZMIG_MPI=ON) loads MPI through libkazmig_mpi.so, beside the binary when built
# and in PREFIX/lib/kazmig when installed (core/parallel.cc).
module=$(dirname "$binary")/libkazmig_mpi.so
if [ -f "$module" ]; then
  mkdir -p "$prefix/lib/kazmig"
  install -m 644 "$module" "$prefix/lib/kazmig/libkazmig_mpi.so"
fi
for folder in kz scenarios; do
  rm -rf "$share/$folder.new"
  cp -R "$repo/data/$folder" "$share/$folder.new"
  rm -rf "$share/$folder"
  mv "$share/$folder.new" "$share/$folder"
done
# The dashboard's bundle (build/web beside build/bin, made when node and web/node_modules exist):
# PREFIX/share/kazmig/web, where an installed `kazmig serve` looks for it.
web=$(dirname "$binary")/../web
if [ -f "$web/index.html" ]; then
  rm -rf "$prefix/share/kazmig/web.new"
  cp -R "$web" "$prefix/share/kazmig/web.new"
  rm -rf "$prefix/share/kazmig/web"
  mv "$prefix/share/kazmig/web.new" "$prefix/share/kazmig/web"
fi

echo "kazmig installed: $prefix/bin/kazmig (data in $share)"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "Note: $prefix/bin is not on your PATH; add it, e.g. export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
