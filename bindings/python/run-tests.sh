#!/usr/bin/env bash
# Tests the Python binding the way a user gets it: build the wheel, install it into a fresh virtual
# environment, run the pytest suite with that interpreter (from a temp dir, so the sources are not
# importable by accident), then run examples/python/cashier.py against a sandbox.
#
# Env: PYTHON (default python3), PASSTEAM_CLI (default target/release/passteam),
#      PASSTEAM_SKIP_CARGO=1 to trust the existing target/release build.
# Needs: python3 with venv and pip; PyPI reachable for setuptools, wheel, pytest; cc (one test builds a
# fake library); cargo when the release build may be stale or missing.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PYTHON=${PYTHON:-python3}
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
CLI=${PASSTEAM_CLI:-$TARGET/release/passteam}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/passteam-python.XXXXXX")
SANDBOX_PID=""
cleanup() {
    if [ -n "$SANDBOX_PID" ]; then
        exec 3>&- || true
        kill "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n== python binding: %s\n' "$*"; }

if [ "${PASSTEAM_SKIP_CARGO:-0}" != 1 ]; then
    step "cargo build --release -p libpassteam -p passteam-cli (a no-op when up to date)"
    (cd "$REPO" && cargo build --release -p libpassteam -p passteam-cli)
fi

# The wheel we would publish carries a library built for glibc 2.17 and is tagged manylinux2014 (PyPI
# refuses linux_x86_64, and a 2.34 floor would not install on CentOS 7, Astra 1.7 or Ubuntu 20.04). That
# library needs cargo-zigbuild (scripts/build-linux-2.17 --install-only; .ci/run installs it); without it
# the wheel carries this machine's build and is tagged by its real floor, and the suite says so.
WANT_TAG=""
if [ -z "${PASSTEAM_LIBRARY:-}" ] && [ -x "$REPO/target/zig-venv/bin/cargo-zigbuild" ]; then
    step "libpassteam.so for glibc 2.17 (scripts/build-linux-2.17 passteam)"
    "$REPO/scripts/build-linux-2.17" passteam
    export PASSTEAM_LIBRARY=$REPO/target/linux-glibc2.17/x86_64-unknown-linux-gnu/release/libpassteam.so
    WANT_TAG=manylinux2014_x86_64
elif [ -z "${PASSTEAM_LIBRARY:-}" ]; then
    echo "note: cargo-zigbuild is not installed, so this wheel carries this machine's libpassteam.so and is" \
         "tagged by its glibc floor, not manylinux2014 (scripts/build-linux-2.17 --install-only fixes that)"
fi

step "building the wheel"
# A stale build/ would put files deleted from src/ into the wheel.
rm -rf "$HERE/build" "$HERE/src/passteam.egg-info"
if ! "$PYTHON" -m pip wheel --no-deps -w "$WORK/dist" "$HERE"; then
    echo "isolated build failed; retrying with the interpreter's own setuptools and wheel" >&2
    "$PYTHON" -m pip wheel --no-deps --no-build-isolation -w "$WORK/dist" "$HERE"
fi
rm -rf "$HERE/build" "$HERE/src/passteam.egg-info"
WHEEL=$(ls "$WORK"/dist/passteam-*.whl)
echo "built $WHEEL"
case "$WHEEL" in
    *-py3-none-any.whl) echo "the wheel must be platform-specific (it carries libpassteam)" >&2; exit 1 ;;
esac
if [ -n "$WANT_TAG" ] && [[ $WHEEL != *"$WANT_TAG"* ]]; then
    echo "the wheel was built from a glibc 2.17 library but is not tagged $WANT_TAG: $WHEEL" >&2
    exit 1
fi

step "fresh virtual environment"
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
"$VPY" -m pip install --quiet "$WHEEL"
"$VPY" -m pip install --quiet pytest

step "pytest (installed package, library inside the wheel)"
cd "$WORK"
set +e
env -u PASSTEAM_LIBRARY -u PYTHONPATH PASSTEAM_CLI="$CLI" \
    "$VPY" -m pytest -p no:cacheprovider -v "$HERE/tests"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
    exit 1
elif [ "$status" -ne 0 ]; then
    exit "$status"
fi

step "examples/python/cashier.py against a sandbox"
# The sandbox serves until its stdin closes: hold a FIFO open as its stdin (fd 3) while it runs.
mkfifo "$WORK/sandbox.in"
"$CLI" sandbox <"$WORK/sandbox.in" >"$WORK/sandbox.out" &
SANDBOX_PID=$!
exec 3>"$WORK/sandbox.in"
for _ in $(seq 100); do
    [ -s "$WORK/sandbox.out" ] && break
    sleep 0.1
done
read -r BASE_URL TOKEN < <("$VPY" -c 'import json,sys; d=json.loads(open(sys.argv[1]).readline()); print(d["base_url"], d["token"])' "$WORK/sandbox.out")
env -u PASSTEAM_LIBRARY "$VPY" "$REPO/examples/python/cashier.py" --base-url "$BASE_URL" --token "$TOKEN" \
    --phone +79160000001 --amount 1250
env -u PASSTEAM_LIBRARY "$VPY" "$REPO/examples/python/cashier.py" --base-url "$BASE_URL" --token "$TOKEN" \
    --phone +79160000001 --amount 3000

step "all passed"
