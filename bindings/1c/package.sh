#!/usr/bin/env bash
# Builds the 1C add-in (release) and packs target/1c/PassteamAddIn.zip, the file that
# ПодключитьВнешнююКомпоненту takes: MANIFEST.XML at the root plus one library per platform, all with the
# same class (AddIn.Passteam.Client):
#   libPassteamAddInLin64.so   Linux x86-64 (built here)
#   PassteamAddInWin64.dll     Windows x64  (target/windows/x86_64/passteam_1c.dll, from scripts/build-windows)
#   PassteamAddInWin32.dll     Windows x86  (target/windows/i686/passteam_1c.dll)
# A Windows library that was not built is left out, with its MANIFEST.XML entry (and a warning);
# PASSTEAM_1C_REQUIRE_WINDOWS=1 makes that an error (the windows test suite sets it).
# Usage: bindings/1c/package.sh   (from anywhere; prints the ZIP's path on its last line)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/1c"
lib_name="libPassteamAddInLin64.so"   # the name MANIFEST.XML gives the Linux x86-64 component

cd "$root"
# The Linux library: built for glibc 2.17 (scripts/build-linux-2.17, cargo-zigbuild) when that toolchain
# is installed, so that the ZIP loads on CentOS 7, Ubuntu 20.04 and Astra 1.7 servers; otherwise a plain
# build, which needs this machine's glibc (2.34+), with a warning.
if [[ -x "$root/target/zig-venv/bin/cargo-zigbuild" ]]; then
    "$root/scripts/build-linux-2.17" passteam-1c >&2
    built="$root/target/linux-glibc2.17/x86_64-unknown-linux-gnu/release/libpassteam_1c.so"
else
    echo "package.sh: cargo-zigbuild is not installed (scripts/build-linux-2.17 --install-only): the Linux" \
        "add-in will need this machine's glibc" >&2
    cargo build --release --locked -p passteam-1c >&2
    built="$target/release/libpassteam_1c.so"
fi
# The component must be self-contained: 1C unpacks it alone, so the core must be linked in, never
# looked up as libpassteam.so at run time.
if readelf -d "$built" | grep NEEDED | grep -q 'libpassteam'; then
    echo "package.sh: $built needs libpassteam.so at run time; it must link the core statically" >&2
    exit 1
fi

stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage"
# Debug info is for us, not for the client's server: strip it from the shipped copy (symbols stay).
objcopy --strip-debug "$built" "$stage/$lib_name" 2>/dev/null || cp "$built" "$stage/$lib_name"
names=(MANIFEST.XML "$lib_name")
manifest=$(cat "$here/MANIFEST.XML")
# The Windows DLLs, already stripped by scripts/build-windows.
for entry in x86_64:PassteamAddInWin64.dll i686:PassteamAddInWin32.dll; do
    arch=${entry%%:*} dll=${entry#*:}
    if [[ -f "$target/windows/$arch/passteam_1c.dll" ]]; then
        cp "$target/windows/$arch/passteam_1c.dll" "$stage/$dll"
        names+=("$dll")
    elif [[ ${PASSTEAM_1C_REQUIRE_WINDOWS:-0} == 1 ]]; then
        echo "package.sh: $target/windows/$arch/passteam_1c.dll is missing: run scripts/build-windows $arch" >&2
        exit 1
    else
        echo "package.sh: no Windows $arch add-in (scripts/build-windows $arch builds it): left out of the ZIP" >&2
        manifest=$(grep -v "path=\"$dll\"" <<<"$manifest")
    fi
done
printf '%s\n' "$manifest" >"$stage/MANIFEST.XML"

zip_path="$out/PassteamAddIn.zip"
rm -f "$zip_path"
if command -v zip >/dev/null; then
    (cd "$stage" && zip -q -X -9 "$zip_path" "${names[@]}")
else
    python3 - "$stage" "$zip_path" "${names[@]}" <<'PY'
import sys, zipfile, os
stage, dest, *names = sys.argv[1:]
with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for n in names:
        z.write(os.path.join(stage, n), n)
PY
fi
echo "$zip_path"
