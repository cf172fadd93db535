#!/usr/bin/env bash
# `kazmig serve` end to end: the real server on a free loopback port with a temporary database and
# web root; the JSON API, caching headers, errors, limits, path traversal and the import token
# (tests/integration/serve_api.py). The heavy endpoints (projections, risk, policy) are checked
# too (--heavy); the driver always kills the server.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
python3 "$KAZMIG_SOURCE_DIR/tests/integration/serve_api.py" "$KAZMIG" "$tmp" --heavy
