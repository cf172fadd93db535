#!/usr/bin/env bash
# Every command pays for the shared libraries kazmig loads before main (docs/csv.md, "Start-up"):
# the server's (cpp-httplib, OpenSSL, brotli) are in kazmig-serve only, libzip (with libcrypto,
# libbz2 and zlib) is loaded when an .xlsx file is read, fmt is compiled into the binary, and
# libstdc++/libgcc are linked statically (tools/kazmig/CMakeLists.txt). This test fails when one of
# them is loaded at start-up again, e.g. after a new libzip or fmt function is used without its
# forwarder (tools/kazmig/libzip_on_demand.cc, fmt_compiled.cc).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v ldd >/dev/null || skip "ldd not installed"

loaded=$(ldd "$KAZMIG" | awk '{ print $1 }' | sed 's|.*/||')
[ -n "$loaded" ] || fail "ldd $KAZMIG printed nothing"
forbidden="libcpp-httplib libssl libcrypto libbrotlicommon libbrotlidec libbrotlienc libzip libbz2
  libz libfmt"
# Instrumented builds (-DKAZMIG_SANITIZE, -DKAZMIG_FUZZ) keep the shared C++ runtime.
if ! nm "$KAZMIG" 2>/dev/null | grep -q " __asan_init"; then
  forbidden="$forbidden libstdc++ libgcc_s"
fi
for library in $forbidden; do
  if echo "$loaded" | grep -q "^$library\.so"; then
    fail "kazmig loads $library at start-up: $(echo "$loaded" | tr '\n' ' ')"
  fi
done

# libzip is still there when needed: an .xlsx file is read (here: refused for its layout).
command -v python3 >/dev/null || skip "python3 not installed (the .xlsx reading is not checked)"
python3 "$KAZMIG_SOURCE_DIR/tests/cli/make_xlsx.py" "$tmp" >/dev/null
expect_exit 3 "bad.xlsx\[.*\]:1:2: cell B1: unexpected layout" \
  "$KAZMIG" data import --format bns-6584 "$tmp/bad.xlsx"
echo "startup_libraries_test: ok"
