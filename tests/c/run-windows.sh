#!/usr/bin/env bash
# tests/c/run-windows.sh: the C side of passteam on Windows, under Wine, for x86_64 and i686.
#
#   1. needs scripts/build-windows's output (target/windows/<arch>/) and the Linux CLI (the sandbox);
#   2. compiles passteam.h alone as C99, the ABI tests (tests/c) and the cashier example (unchanged) with
#      MinGW-w64 gcc -Werror -pedantic, each linked against passteam.dll (its import library) and against
#      libpassteam.a;
#   3. checks the DLL: every passteam_* export is declared in the header and called by the tests, and it
#      imports system DLLs only (no libgcc, winpthread or Visual C++ runtime to ship);
#   4. starts the Linux sandbox on 127.0.0.1 and runs the example and abi_test under Wine against it.
#
# Usage: tests/c/run-windows.sh [x86_64] [i686]   (default both). Exits non-zero on any failure.
# Test programs and logs go to target/windows-test/<arch>/; the Wine prefix is target/wine-prefix.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
REL=target/release
WIN=target/windows
CFLAGS=(-std=c99 -Wall -Wextra -Werror -pedantic -O1)
TEST_SOURCES=(tests/c/abi_test.c tests/c/check.c tests/c/json_mini.c tests/c/ops.c tests/c/sandbox_ctl.c
              tests/c/test_*.c)
# The programs link libgcc and winpthread (pthreads, clock_gettime) statically, so that only passteam.dll sits beside them.
STATIC_RUNTIME=(-static -lpthread)
# What libpassteam.a needs from Windows when linked statically (rustc --print native-static-libs).
NATIVE_LIBS=(-lws2_32 -lntdll -luserenv -lkernel32 -ladvapi32 -lbcrypt)

arches=("$@")
[[ ${#arches[@]} -eq 0 ]] && arches=(x86_64 i686)

step() { printf '== windows %s\n' "$*"; }
die() { printf 'tests/c/run-windows.sh: %s\n' "$*" >&2; exit 1; }

source "$ROOT/tests/c/wine-env.sh"
[[ -x $REL/passteam ]] || die "$REL/passteam (the sandbox) is missing: cargo build --release -p passteam-cli"

SANDBOX_PID=
stop_sandbox() {
    if [[ -n $SANDBOX_PID ]]; then
        kill "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
        SANDBOX_PID=
    fi
}
trap stop_sandbox EXIT

# start_sandbox LOGS: a fresh Linux sandbox (OS-picked port); exports PASSTEAM_BASE_URL and PASSTEAM_TOKEN.
start_sandbox() {
    local logs=$1 out=$1/sandbox.out
    stop_sandbox
    $REL/passteam sandbox >"$out" 2>"$logs/sandbox.err" &
    SANDBOX_PID=$!
    for _ in $(seq 100); do
        [[ -s $out ]] && break
        kill -0 "$SANDBOX_PID" 2>/dev/null || die "the sandbox exited: $(cat "$logs/sandbox.err")"
        sleep 0.1
    done
    local first_line
    first_line=$(head -n 1 "$out")
    PASSTEAM_BASE_URL=$(sed -n 's/.*"base_url": *"\([^"]*\)".*/\1/p' <<<"$first_line")
    PASSTEAM_TOKEN=$(sed -n 's/.*"token": *"\([^"]*\)".*/\1/p' <<<"$first_line")
    [[ -n $PASSTEAM_BASE_URL && -n $PASSTEAM_TOKEN ]] || die "unexpected first line from the sandbox: $first_line"
    export PASSTEAM_BASE_URL PASSTEAM_TOKEN
}

# check_dll ARCH DLL: the exports match the header and the tests; the imports are Windows' own DLLs.
check_dll() {
    local arch=$1 dll=$2
    local objdump=$arch-w64-mingw32-objdump
    local exports declared imports
    exports=$(dll_exports "$objdump" "$dll" | grep '^passteam_' | sort)
    declared=$(grep -o '\bpassteam_[a-z_]*(' include/passteam.h | tr -d '(' | sort -u)
    if [[ "$exports" != "$declared" ]]; then
        diff <(echo "$exports") <(echo "$declared") >&2 || true
        die "$arch: passteam.dll's exports (<) and the header's declarations (>) differ"
    fi
    for name in $exports; do
        grep -qw "$name" tests/c/*.c || die "$name is exported but no C test calls it"
    done
    echo "$arch: $(wc -w <<<"$exports") exports, all declared and called"
    imports=$(dll_imports "$objdump" "$dll")
    echo "$arch: passteam.dll imports: $(tr '\n' ' ' <<<"$imports")"
    check_system_imports "$arch" "$dll" "$imports"
}

# expect_line LOG TEXT: the run's stdout has a line containing TEXT.
expect_line() {
    grep -qF -- "$2" "$1" || { cat "$1" >&2; die "$1: no line with \"$2\""; }
}

# run_exe ARCH NAME EXE ARGS...: runs a test program under Wine, stdout to $logs/NAME.out; returns its exit code.
run_exe() {
    local arch=$1 name=$2 exe=$3
    shift 3
    local status=0
    timeout 300 "$(wine_for "$arch")" "$exe" "$@" >"$logs/$name.out" 2>"$logs/$name.err" || status=$?
    return $status
}

# must_pass ARCH NAME EXE ARGS...: run_exe, failing the suite with the program's output on a non-zero exit.
must_pass() {
    local status=0
    run_exe "$@" || status=$?
    if [[ $status -ne 0 ]]; then
        cat "$logs/$2.out" "$logs/$2.err" >&2
        die "$1: $2 failed under Wine (exit $status)"
    fi
}

test_arch() {
    local arch=$1
    local cc=$arch-w64-mingw32-gcc lib=$WIN/$arch
    local out=$ROOT/target/windows-test/$arch
    logs=$out/logs
    [[ -f $lib/passteam.dll && -f $lib/libpassteam.a && -f $lib/libpassteam.dll.a ]] ||
        die "$lib is not built: scripts/build-windows $arch"
    mkdir -p "$out" "$logs"

    step "$arch: compiling"
    "$cc" "${CFLAGS[@]}" -fsyntax-only -x c include/passteam.h
    build_prng_standin "$arch" "$out"
    cp "$lib/passteam.dll" "$out/"
    "$cc" "${CFLAGS[@]}" -Iinclude "${TEST_SOURCES[@]}" -o "$out/abi_test-shared.exe" \
        "$lib/libpassteam.dll.a" -lws2_32 "${STATIC_RUNTIME[@]}"
    "$cc" "${CFLAGS[@]}" -Iinclude "${TEST_SOURCES[@]}" -o "$out/abi_test-static.exe" \
        "$lib/libpassteam.a" "${NATIVE_LIBS[@]}" "${STATIC_RUNTIME[@]}"
    "$cc" "${CFLAGS[@]}" -Iinclude examples/c/cashier.c -o "$out/cashier.exe" "$lib/libpassteam.dll.a"
    "$cc" "${CFLAGS[@]}" -Iinclude examples/c/cashier.c -o "$out/cashier-static.exe" \
        "$lib/libpassteam.a" "${NATIVE_LIBS[@]}" "${STATIC_RUNTIME[@]}"

    step "$arch: checking passteam.dll"
    check_dll "$arch" "$lib/passteam.dll"

    step "$arch: starting the sandbox (Linux, 127.0.0.1)"
    start_sandbox "$logs"
    echo "sandbox at $PASSTEAM_BASE_URL"
    # Windows programs find passteam.dll (and the test-only PRNG stand-in) beside them; run from there.
    cd "$out"

    step "$arch: example: cashier under Wine (shared, then static)"
    must_pass "$arch" cashier-shared cashier.exe --phone +79161230001 --points 100
    expect_line "$logs/cashier-shared.out" "new customer"
    expect_line "$logs/cashier-shared.out" "bonus: 0 + 100 = 100"
    expect_line "$logs/cashier-shared.out" "link sent by SMS"
    must_pass "$arch" cashier-static cashier-static.exe --phone +79161230001 --points 100
    expect_line "$logs/cashier-static.out" "returning customer"
    expect_line "$logs/cashier-static.out" "bonus: 100 + 100 = 200"
    cat "$logs/cashier-static.out"
    local status=0
    run_exe "$arch" cashier-auth cashier.exe --token wrong-token || status=$?
    if [[ $status -ne 1 ]] || ! grep -q PASSTEAM_ERR_AUTH "$logs/cashier-auth.out" "$logs/cashier-auth.err"; then
        die "$arch: cashier with a wrong token: exit $status, wanted 1 with PASSTEAM_ERR_AUTH"
    fi

    step "$arch: abi_test under Wine (shared, then static)"
    must_pass "$arch" abi_test-shared abi_test-shared.exe
    tail -n 1 "$logs/abi_test-shared.out"
    must_pass "$arch" abi_test-static abi_test-static.exe
    tail -n 1 "$logs/abi_test-static.out"
    cd "$ROOT"
    stop_sandbox
}

# The panic test would print a full backtrace otherwise; under 32-bit Wine the walk itself can crash.
export RUST_BACKTRACE=0
wine_prepare
for arch in "${arches[@]}"; do
    test_arch "$arch"
done
step "C: all passed (${arches[*]})"
