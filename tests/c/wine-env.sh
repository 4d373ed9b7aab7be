# tests/c/wine-env.sh: sourced by the Windows test scripts (tests/c/run-windows.sh,
# bindings/1c/run-tests-windows.sh): the Wine prefix, which Wine runs which architecture, the test-only
# PRNG stand-in, and the DLL checks (exports, imports) done with MinGW's objdump.

WINE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Our own prefix under target/, never the user's ~/.wine; no Wine debug chatter in the logs; no prompts
# to install Mono or Gecko (nothing here needs .NET or a browser).
export WINEPREFIX=${WINEPREFIX:-$WINE_ROOT/target/wine-prefix}
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="

# wine_for ARCH: the Wine command for that architecture's programs. Debian's `wine` runs both: its
# 32-bit loader (package wine32:i386) hands a 64-bit program to the 64-bit one (package wine64).
wine_for() {
    case $1 in
        x86_64 | i686) echo wine ;;
        *) echo "wine_for: unknown architecture $1" >&2; return 1 ;;
    esac
}

# wine_prepare: checks Wine is installed (scripts/build-windows --install-only installs it) and creates
# the prefix once (wineboot takes some 20 s; later runs reuse it).
wine_prepare() {
    local tool
    for tool in wine wineboot wineserver x86_64-w64-mingw32-gcc i686-w64-mingw32-gcc; do
        command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/build-windows --install-only" >&2; return 1; }
    done
    for tool in /usr/lib/wine/wine /usr/lib/wine/wine64; do
        [[ -x $tool ]] || { echo "$tool is missing (wine32:i386, wine64): scripts/build-windows --install-only" >&2; return 1; }
    done
    if [[ ! -f $WINEPREFIX/system.reg ]]; then
        echo "creating the Wine prefix $WINEPREFIX"
        mkdir -p "$WINEPREFIX"
        wineboot -i >/dev/null 2>&1 || true
        wineserver -w 2>/dev/null || true
        [[ -f $WINEPREFIX/system.reg ]] || { echo "wineboot did not create $WINEPREFIX" >&2; return 1; }
    fi
}

# build_prng_standin ARCH DIR: DIR/bcryptprimitives.dll, the TEST-ONLY ProcessPrng that Wine 8.0 lacks
# (tests/c/windows/bcryptprimitives.c says why). i686: --kill-at exports "ProcessPrng", not "ProcessPrng@8".
build_prng_standin() {
    local arch=$1 dir=$2 extra=()
    [[ $arch == i686 ]] && extra=(-Wl,--kill-at)
    mkdir -p "$dir"
    "$arch-w64-mingw32-gcc" -O2 -Wall -Werror -shared "${extra[@]}" -o "$dir/bcryptprimitives.dll" \
        "$WINE_ROOT/tests/c/windows/bcryptprimitives.c" -lbcrypt -static-libgcc
}

# dll_exports OBJDUMP DLL: the names in the DLL's export table, one a line.
dll_exports() {
    "$1" -p "$2" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | sed -n 's/^[[:space:]]*\[ *[0-9]*\] //p'
}

# dll_imports OBJDUMP DLL: the DLLs it imports, one a line.
dll_imports() {
    "$1" -p "$2" | sed -n 's/^[[:space:]]*DLL Name: //p' | sort -u
}

# check_system_imports ARCH DLL IMPORTS: fails when the DLL needs a DLL that Windows does not have
# (MinGW's libgcc / winpthread / libstdc++, the Visual C++ runtime): a till has only the system's.
check_system_imports() {
    local arch=$1 dll=$2 name
    for name in $3; do
        case ${name,,} in
            kernel32.dll | ntdll.dll | ws2_32.dll | advapi32.dll | userenv.dll | bcrypt.dll | \
                bcryptprimitives.dll | msvcrt.dll | crypt32.dll | secur32.dll | ncrypt.dll | ole32.dll | \
                oleaut32.dll | shell32.dll | user32.dll | api-ms-win-*) ;;
            *) echo "$arch: $dll imports $name, which is not a Windows system DLL" >&2; return 1 ;;
        esac
    done
}
