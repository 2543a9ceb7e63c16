#!/usr/bin/env bash
# Runs the whole HeroVirt test suite on a fresh machine: installs the Debian
# packages it needs, builds, runs every test against the real backends
# (qemu-img, buildah, podman, docker-registry, sshd; each test starts and
# stops its own servers on 127.0.0.1 or unix sockets), then builds again with
# AddressSanitizer and UBSan and runs the C tests there.
#
#   ./scripts/test.sh            everything
#   ./scripts/test.sh --quick    skip the sanitizer build
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0
[ "${1:-}" = "--quick" ] && quick=1

./scripts/install-deps.sh

# The pyenv python3 on PATH has no gi; the GI tests use /usr/bin/python3.
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

step() { printf '\n==== %s\n' "$*"; }

step "format"
./scripts/check-format.sh

step "build"
if [ ! -f build/build.ninja ]; then
  meson setup build --prefix="$root/_install" -Dbuildtype=debugoptimized -Ddocs=true
fi
ninja -C build

step "tests"
status=0
meson test -C build --print-errorlogs --num-processes 2 --timeout-multiplier 2 || status=$?
step "time per suite"
./scripts/suite-times.py build/meson-logs/testlog.json || true

if [ "$quick" -eq 0 ]; then
  step "AddressSanitizer + UBSan build"
  if [ ! -f build-asan/build.ninja ]; then
    meson setup build-asan --prefix="$root/_install-asan" -Dbuildtype=debug \
      -Db_sanitize=address,undefined -Db_lundef=false
  fi
  ninja -C build-asan
  step "tests under AddressSanitizer + UBSan (C tests)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 3 \
      --suite sanitize || status=$?
  step "time per suite (sanitizers)"
  ./scripts/suite-times.py build-asan/meson-logs/testlog.json || true
fi

step "summary"
printf "whole run: %d s\n" "$SECONDS"
/usr/bin/python3 - build/meson-logs/testlog.json build-asan/meson-logs/testlog.json <<'PY'
import json, os, sys
ok = bad = skipped = 0
for path in sys.argv[1:]:
    if not os.path.exists(path):
        continue
    for line in open(path):
        r = json.loads(line)['result']
        if r in ('OK', 'EXPECTEDFAIL'):
            ok += 1
        elif r == 'SKIP':
            skipped += 1
        else:
            bad += 1
print('%d passed, %d failed, %d skipped' % (ok, bad, skipped))
PY
if [ "$status" -eq 0 ]; then
  echo "all tests passed"
else
  echo "some tests failed (status $status); see the logs above and build*/meson-logs/testlog.txt"
fi
exit "$status"
