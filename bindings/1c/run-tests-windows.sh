#!/usr/bin/env bash
# The 1C add-in on Windows, under Wine, for x64 and x86: packs the ZIP (all three platforms), checks each
# Windows DLL (exports only the five Native API entry points, imports system DLLs only), compiles the
# plain-C host harness (harness-windows/: MSVC's vtable layout, __stdcall on x86) with MinGW-w64, and
# runs it: it picks its library from MANIFEST.XML as 1C does, loads it and runs the vendor's scenario
# against the Linux sandbox on 127.0.0.1.
#
# Usage: bindings/1c/run-tests-windows.sh [x86_64] [i686]   (default both)
# Needs scripts/build-windows's output and the Linux CLI (target/release/passteam, the sandbox).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
cd "$root"

arches=("$@")
[[ ${#arches[@]} -eq 0 ]] && arches=(x86_64 i686)
step() { printf '\n== 1c windows: %s\n' "$*"; }
die() { printf 'bindings/1c/run-tests-windows.sh: %s\n' "$*" >&2; exit 1; }

source "$root/tests/c/wine-env.sh"
passteam_bin="$target/release/passteam"
[[ -x $passteam_bin ]] || die "$passteam_bin (the sandbox) is missing: cargo build --release -p passteam-cli"

step "package (every platform)"
zip_path="$(PASSTEAM_1C_REQUIRE_WINDOWS=1 "$here/package.sh" | tail -n 1)"
# Listed once into a variable: `unzip -l | grep -q` under pipefail fails when grep stops reading early.
listing=$(unzip -l "$zip_path")
echo "$listing"
for name in libPassteamAddInLin64.so PassteamAddInWin64.dll PassteamAddInWin32.dll; do
    grep -qw "$name" <<<"$listing" || die "$zip_path lacks $name"
    grep -q "path=\"$name\"" "$target/1c/stage/MANIFEST.XML" || die "MANIFEST.XML lacks $name"
done

SANDBOX_PID=
stop_sandbox() {
    if [[ -n $SANDBOX_PID ]]; then
        kill "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
        SANDBOX_PID=
    fi
}
trap stop_sandbox EXIT

export RUST_BACKTRACE=0
wine_prepare
for arch in "${arches[@]}"; do
    out="$target/windows-test/1c-$arch"
    rm -rf "$out"
    mkdir -p "$out/addin"

    step "$arch: unpack the ZIP (as 1C does, into a folder of its own)"
    unzip -q -o "$zip_path" -d "$out/addin"
    dll=$([[ $arch == x86_64 ]] && echo PassteamAddInWin64.dll || echo PassteamAddInWin32.dll)

    step "$arch: $dll exports the Native API only and imports system DLLs only"
    exports=$(dll_exports "$arch-w64-mingw32-objdump" "$out/addin/$dll" | sort | tr '\n' ' ')
    echo "exports: $exports"
    [[ $exports == "DestroyObject GetAttachType GetClassNames GetClassObject SetPlatformCapabilities " ]] ||
        die "$arch: $dll exports more (or less) than the five Native API functions"
    imports=$(dll_imports "$arch-w64-mingw32-objdump" "$out/addin/$dll")
    echo "imports: $(tr '\n' ' ' <<<"$imports")"
    check_system_imports "$arch" "$dll" "$imports"

    step "$arch: compile the host harness (plain C, MSVC vtable layout)"
    "$arch-w64-mingw32-gcc" -std=c11 -O1 -Wall -Wextra -Werror -pedantic -o "$out/harness.exe" \
        "$here"/harness-windows/*.c -static -lws2_32
    # Test-only: Wine 8.0 has no bcryptprimitives.dll (never shipped; see tests/c/windows/).
    build_prng_standin "$arch" "$out"

    step "$arch: harness under Wine against the sandbox"
    "$passteam_bin" sandbox >"$out/sandbox.out" 2>"$out/sandbox.err" &
    SANDBOX_PID=$!
    for _ in $(seq 100); do
        [[ -s $out/sandbox.out ]] && break
        sleep 0.1
    done
    first_line=$(head -n 1 "$out/sandbox.out")
    PASSTEAM_BASE_URL=$(sed -n 's/.*"base_url": *"\([^"]*\)".*/\1/p' <<<"$first_line")
    PASSTEAM_TOKEN=$(sed -n 's/.*"token": *"\([^"]*\)".*/\1/p' <<<"$first_line")
    [[ -n $PASSTEAM_BASE_URL && -n $PASSTEAM_TOKEN ]] || die "unexpected first line from the sandbox: $first_line"
    export PASSTEAM_BASE_URL PASSTEAM_TOKEN
    # The harness runs from its own folder (the PRNG stand-in is found there); the add-in is given as a
    # Windows path to the unpacked folder.
    status=0
    (cd "$out" && timeout 300 "$(wine_for "$arch")" harness.exe addin) || status=$?
    stop_sandbox
    [[ $status -eq 0 ]] || die "$arch: the harness failed under Wine (exit $status)"
done

step "all 1C Windows tests passed (${arches[*]})"
