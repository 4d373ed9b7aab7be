#!/usr/bin/env bash
# Tests of the 1C add-in: Rust unit tests, packaging, the static-linking check, and the C++ host
# harness (plays the 1C platform, loads the add-in from the ZIP, runs the vendor's scenario against the
# sandbox) plain and under valgrind. Exits non-zero on any failure.
# Needs: cargo, g++, valgrind, zip (or python3), unzip (or python3), binutils (readelf).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
cd "$root"

step() { printf '\n== 1c: %s\n' "$*"; }

step "build the sandbox (passteam CLI)"
cargo build --release --locked -p passteam-cli
passteam_bin="$target/release/passteam"

step "Rust unit tests"
cargo test --locked -p passteam-1c

step "package"
zip_path="$("$here/package.sh" | tail -n 1)"
lib="$target/1c/stage/libPassteamAddInLin64.so"
unzip -l "$zip_path" 2>/dev/null || python3 -m zipfile -l "$zip_path"

step "the add-in is self-contained (no libpassteam.so, only system libraries)"
needed="$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
echo "$needed"
for so in $needed; do
    case "$so" in
        libc.so.*|libm.so.*|libgcc_s.so.*|libpthread.so.*|libdl.so.*|librt.so.*|ld-linux-x86-64.so.*) ;;
        *) echo "run-tests: the add-in needs $so at run time; 1C loads it alone from the ZIP" >&2; exit 1 ;;
    esac
done
if ldd "$lib" | grep -q 'not found'; then
    ldd "$lib" >&2
    exit 1
fi

step "the add-in exports the Native API entry points only (no passteam_* of the C ABI)"
exports="$(nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sort | tr '\n' ' ')"
echo "$exports"
if [[ $exports != "DestroyObject GetAttachType GetClassNames GetClassObject SetPlatformCapabilities " ]]; then
    echo "run-tests: the add-in exports more or less than the five Native API functions: $exports" >&2
    exit 1
fi

step "the oldest glibc it loads on (highest GLIBC symbol version it needs)"
glibc_floor="$(objdump -T "$lib" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -u -t. -k1,1 -k2,2n -k3,3n | tail -n 1)"
echo "highest GLIBC symbol version: $glibc_floor (2.17 = CentOS 7; 2.28 = Astra 1.7; 2.31 = Ubuntu 20.04)"

step "the add-in is within the size goal (stripped of its symbol table as well)"
strip --strip-all -o "$target/1c/addin-stripped.so" "$lib"
"$here/../../scripts/size-budget" "$target/1c/addin-stripped.so"

step "compile the host harness"
g++ -std=c++17 -O1 -g -Wall -Wextra -o "$target/1c/harness" "$here"/harness/*.cpp -ldl

step "harness (with timings)"
PASSTEAM_1C_BENCH=1 "$target/1c/harness" "$zip_path" "$passteam_bin"

step "harness under valgrind"
valgrind --leak-check=full --keep-debuginfo=yes --error-exitcode=1 --suppressions="$here/harness/valgrind.supp" \
    "$target/1c/harness" "$zip_path" "$passteam_bin"

step "all 1C tests passed"
