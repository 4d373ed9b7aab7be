#!/usr/bin/env bash
# tests/c/run.sh: the C side of passteam, end to end.
#
#   1. builds the library and the CLI if they are missing (never rebuilds needlessly: shared machine);
#   2. compiles passteam.h alone as C99 and from C++ (g++), the ABI tests and the cashier example, each
#      linked against the shared library and against the static archive, all with -Werror -pedantic;
#   3. checks that every passteam_* export of the library is declared in the header and called by the tests;
#   4. starts `passteam sandbox` (OS-picked port) and runs the example and abi_test under valgrind,
#      both linkings, failing on any memory error or definite/indirect leak.
#
# Exits non-zero on any failure. Needs: cc (gcc), g++, make, valgrind, and cargo if the library is missing.
# Build outputs go to target/c/, logs (valgrind's included) to target/c/logs/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
REL=target/release
OUT=$ROOT/target/c
LOGS=$OUT/logs
CFLAGS=(-std=c99 -Wall -Wextra -Werror -pedantic -g -O1)
CXXFLAGS=(-Wall -Wextra -Werror -pedantic -g)
TEST_SOURCES=(tests/c/abi_test.c tests/c/check.c tests/c/json_mini.c tests/c/ops.c tests/c/sandbox_ctl.c
              tests/c/test_*.c)
# valgrind is slow (and runs a process's threads one at a time): every run gets minutes, not seconds.
VALGRIND=(timeout 150 valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1
          --suppressions="$ROOT/tests/c/valgrind.supp")
# The panic test would print a full backtrace otherwise (the CI environment sets RUST_BACKTRACE=1).
export RUST_BACKTRACE=0

step() { printf '== %s\n' "$*"; }
die() { printf 'tests/c/run.sh: %s\n' "$*" >&2; exit 1; }

for tool in cc g++ make valgrind; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done

if [[ ! -f $REL/libpassteam.so || ! -f $REL/libpassteam.a || ! -x $REL/passteam ]]; then
    step "building the library and the CLI (missing)"
    cargo build --release -p libpassteam -p passteam-cli
fi
mkdir -p "$OUT" "$LOGS"
# The tests link what ships: the stripped library and archive of scripts/dist, not cargo's raw output.
step "packaging what ships (scripts/dist)"
scripts/dist --no-build
DIST=target/dist/linux-x86_64

step "compiling"
cc "${CFLAGS[@]}" -fsyntax-only -x c include/passteam.h
g++ "${CXXFLAGS[@]}" -fsyntax-only -x c++ include/passteam.h
g++ "${CXXFLAGS[@]}" -std=c++11 -Iinclude tests/c/header_cpp.cpp -o "$OUT/header_cpp" \
    -L$DIST -lpassteam -Wl,-rpath,"$ROOT/$DIST"
cc "${CFLAGS[@]}" -Iinclude "${TEST_SOURCES[@]}" -o "$OUT/abi_test-shared" \
    -L$DIST -lpassteam -Wl,-rpath,"$ROOT/$DIST" -lpthread
cc "${CFLAGS[@]}" -Iinclude "${TEST_SOURCES[@]}" -o "$OUT/abi_test-static" \
    $DIST/libpassteam.a -lpthread -ldl -lm
make -s -C examples/c BUILD_DIR="$OUT" LIBDIR="$ROOT/$DIST"

step "checking that every export is declared and tested"
exports=$(nm -D --defined-only $DIST/libpassteam.so | awk '$2 == "T" && $3 ~ /^passteam_/ { print $3 }' | sort)
declared=$(grep -o '\bpassteam_[a-z_]*(' include/passteam.h | tr -d '(' | sort -u)
if [[ "$exports" != "$declared" ]]; then
    diff <(echo "$exports") <(echo "$declared") >&2 || true
    die "the library's exports (<) and the header's declarations (>) differ"
fi
for name in $exports; do
    grep -qw "$name" tests/c/*.c || die "$name is exported but no C test calls it"
done
echo "$(wc -w <<<"$exports") exports, all declared and called"

step "C++ translation unit"
"$OUT/header_cpp"

step "starting the sandbox"
SANDBOX_OUT=$LOGS/sandbox.out
$REL/passteam sandbox >"$SANDBOX_OUT" 2>"$LOGS/sandbox.err" &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    [[ -s $SANDBOX_OUT ]] && break
    kill -0 "$SANDBOX_PID" 2>/dev/null || die "the sandbox exited: $(cat "$LOGS/sandbox.err")"
    sleep 0.1
done
first_line=$(head -n 1 "$SANDBOX_OUT")
PASSTEAM_BASE_URL=$(sed -n 's/.*"base_url": *"\([^"]*\)".*/\1/p' <<<"$first_line")
PASSTEAM_TOKEN=$(sed -n 's/.*"token": *"\([^"]*\)".*/\1/p' <<<"$first_line")
[[ -n $PASSTEAM_BASE_URL && -n $PASSTEAM_TOKEN ]] || die "unexpected first line from the sandbox: $first_line"
export PASSTEAM_BASE_URL PASSTEAM_TOKEN
echo "sandbox at $PASSTEAM_BASE_URL"

# lost LOG KIND: "N bytes" for one line of valgrind's final LEAK SUMMARY (absent when nothing leaked).
lost() { grep -o "$2: [0-9,]* bytes" "$1" | tail -n 1 | grep -o '[0-9,]* bytes' || echo '0 bytes'; }

# memcheck NAME CMD...: runs CMD under valgrind (log in $LOGS/NAME.valgrind), prints the summary numbers.
memcheck() {
    local name=$1 log="$LOGS/$1.valgrind"
    shift
    local status=0
    "${VALGRIND[@]}" --log-file="$log" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err" || status=$?
    printf '%-16s %s; definitely lost: %s; indirectly lost: %s; possibly lost: %s; ' "$name" \
        "$(grep -o 'ERROR SUMMARY: [0-9,]* errors' "$log" | tail -n 1)" "$(lost "$log" 'definitely lost')" \
        "$(lost "$log" 'indirectly lost')" "$(lost "$log" 'possibly lost')"
    printf 'still reachable: %s; suppressed: %s\n' "$(lost "$log" 'still reachable')" "$(lost "$log" 'suppressed')"
    if [[ $status -ne 0 ]]; then
        cat "$LOGS/$name.out" "$LOGS/$name.err" >&2
        grep -v '^==[0-9]*== *$' "$log" | tail -n 60 >&2
        die "$name failed under valgrind (exit $status); see $log"
    fi
}

# expect_line NAME TEXT: the run's stdout has a line containing TEXT.
expect_line() {
    grep -qF -- "$2" "$LOGS/$1.out" || { cat "$LOGS/$1.out" >&2; die "$1: no line with \"$2\""; }
}

step "example: cashier (valgrind)"
# The same phone twice: the first run issues the card, the second finds it and accrues again.
memcheck cashier-shared "$OUT/cashier" --phone +79161230001 --points 100
expect_line cashier-shared "new customer"
expect_line cashier-shared "bonus: 0 + 100 = 100"
expect_line cashier-shared "link sent by SMS"
memcheck cashier-static "$OUT/cashier-static" --phone +79161230001 --points 100
expect_line cashier-static "returning customer"
expect_line cashier-static "bonus: 100 + 100 = 200"
expect_line cashier-static "phone +79161230001  bonus 200"
cat "$LOGS/cashier-static.out"
# Offline: a sale while Passteam cannot be reached (a closed port) is queued in the outbox, with the card
# from the last-known copy; once it is reachable again, --flush delivers the bonus.
OUTBOX_FILE=$OUT/cashier-outbox.sqlite
rm -f "$OUTBOX_FILE"*
memcheck cashier-online "$OUT/cashier" --outbox "$OUTBOX_FILE" --phone +79161230002 --points 50
expect_line cashier-online "bonus: 0 + 50 = 50"
memcheck cashier-offline "$OUT/cashier" --outbox "$OUTBOX_FILE" --base-url http://127.0.0.1:1 --phone +79161230002 --points 30
expect_line cashier-offline "(last known, offline)"
expect_line cashier-offline "bonus: 50 + 30 = 80, queued offline (outbox entry 1)"
memcheck cashier-flush "$OUT/cashier" --outbox "$OUTBOX_FILE" --flush
expect_line cashier-flush "outbox: sent 1, pending 0, dead 0"
memcheck cashier-after "$OUT/cashier" --phone +79161230002 --points 0
expect_line cashier-after "bonus: 80 + 0 = 80"
cat "$LOGS/cashier-offline.out" "$LOGS/cashier-flush.out"
# An unexpected status is a non-zero exit; bad usage is 2.
status=0
"$OUT/cashier" --token wrong-token >"$LOGS/cashier-auth.out" 2>&1 || status=$?
if [[ $status -ne 1 ]] || ! grep -q PASSTEAM_ERR_AUTH "$LOGS/cashier-auth.out"; then
    die "cashier with a wrong token: exit $status, wanted 1 with PASSTEAM_ERR_AUTH"
fi
status=0
"$OUT/cashier" --points >/dev/null 2>&1 || status=$?
[[ $status -eq 2 ]] || die "cashier with bad usage: exit $status, wanted 2"

step "abi_test (valgrind, shared and static)"
memcheck abi_test-shared "$OUT/abi_test-shared"
tail -n 1 "$LOGS/abi_test-shared.out"
memcheck abi_test-static "$OUT/abi_test-static"
tail -n 1 "$LOGS/abi_test-static.out"

step "C: all passed"
