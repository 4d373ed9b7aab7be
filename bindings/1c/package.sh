#!/usr/bin/env bash
# Builds the 1C add-in (release) and packs target/1c/PassteamAddIn.zip, the file that
# ПодключитьВнешнююКомпоненту takes: MANIFEST.XML at the root plus the Linux x86-64 library it names.
# Usage: bindings/1c/package.sh   (from anywhere; prints the ZIP's path on its last line)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/1c"
lib_name="libPassteamAddInLin64.so"   # the name MANIFEST.XML gives the Linux x86-64 component

cd "$root"
cargo build --release --locked -p passteam-1c >&2

built="$target/release/libpassteam_1c.so"
# The component must be self-contained: 1C unpacks it alone, so the core must be linked in, never
# looked up as libpassteam.so at run time.
if readelf -d "$built" | grep NEEDED | grep -q 'libpassteam'; then
    echo "package.sh: $built needs libpassteam.so at run time; it must link the core statically" >&2
    exit 1
fi

stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage"
cp "$here/MANIFEST.XML" "$stage/MANIFEST.XML"
# Debug info is for us, not for the client's server: strip it from the shipped copy (symbols stay).
objcopy --strip-debug "$built" "$stage/$lib_name" 2>/dev/null || cp "$built" "$stage/$lib_name"

zip_path="$out/PassteamAddIn.zip"
rm -f "$zip_path"
if command -v zip >/dev/null; then
    (cd "$stage" && zip -q -X -9 "$zip_path" MANIFEST.XML "$lib_name")
else
    python3 - "$stage" "$zip_path" MANIFEST.XML "$lib_name" <<'PY'
import sys, zipfile, os
stage, dest, *names = sys.argv[1:]
with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for n in names:
        z.write(os.path.join(stage, n), n)
PY
fi
echo "$zip_path"
