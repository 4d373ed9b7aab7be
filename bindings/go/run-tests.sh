#!/usr/bin/env bash
# Tests the Go binding: format, vet, the test suite (plain, -race, GODEBUG=cgocheck=1), the
# cashier example against a fresh sandbox (static and shared builds), and a benchmark against
# plain net/http. Exits non-zero on the first failure.
#
# Needs: Go >= 1.24 (PATH or /usr/local/go/bin), gcc, cargo (builds the library and the sandbox
# CLI when they are missing or stale), ldd. No Go module is downloaded: the binding has no
# dependencies.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
example="$root/examples/go"
export PATH="$PATH:/usr/local/go/bin"
export CGO_ENABLED=1

step() { printf '\n== go binding: %s\n' "$*"; }
fail() { printf 'go binding: FAILED: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null || fail "go not found (install Go >= 1.24)"

step "library and sandbox CLI (cargo build --release; a no-op when fresh)"
(cd "$root" && cargo build --release -p libpassteam -p passteam-cli --quiet)
[ -f "$root/target/release/libpassteam.a" ] || fail "target/release/libpassteam.a is missing"
cli="${PASSTEAM_CLI:-$root/target/release/passteam}"
export PASSTEAM_CLI="$cli"

step "gofmt"
unformatted="$(gofmt -l "$here" "$example")"
[ -z "$unformatted" ] || fail "not gofmt-formatted: $unformatted"

step "go vet"
(cd "$here" && go vet ./... && go vet -tags passteam_shared ./...)
(cd "$example" && go vet ./...)

# -count=1: the test cache does not see a rebuilt libpassteam.a or sandbox.
step "go test"
(cd "$here" && go test -count=1 ./...)

step "go test -race"
(cd "$here" && go test -count=1 -race ./...)

step "GODEBUG=cgocheck=1 go test"
(cd "$here" && GODEBUG=cgocheck=1 go test -count=1 ./...)

step "go test -tags passteam_shared (libpassteam.so)"
(cd "$here" && go test -count=1 -tags passteam_shared ./...)

# The example against a sandbox of its own.
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
	if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

step "build the cashier example (static) and check it needs no libpassteam.so"
(cd "$example" && go build -o "$work/cashier" .)
if ldd "$work/cashier" | grep -q libpassteam; then
	ldd "$work/cashier"
	fail "the example binary needs libpassteam.so"
fi
ldd "$work/cashier"

step "build the cashier example with -tags passteam_shared and check it does use libpassteam.so"
(cd "$example" && go build -tags passteam_shared -o "$work/cashier-shared" .)
ldd "$work/cashier-shared" | grep -q 'libpassteam.so => /' || fail "the shared build does not find libpassteam.so"

step "run the cashier example against a sandbox"
mkfifo "$work/stdin"
"$cli" sandbox --exit-on-eof <"$work/stdin" >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
exec 9>"$work/stdin" # holds the sandbox's stdin open until this script ends
for _ in $(seq 1 300); do
	[ -s "$work/sandbox.out" ] && break
	sleep 0.1
done
first_line="$(head -n 1 "$work/sandbox.out")"
base_url="$(printf '%s' "$first_line" | sed -n 's/.*"base_url": *"\([^"]*\)".*/\1/p')"
token="$(printf '%s' "$first_line" | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')"
[ -n "$base_url" ] || fail "the sandbox printed no base_url: $first_line $(cat "$work/sandbox.err")"

# First sale: the customer is new, a card is issued; 5% of 1000 = 50.
PASSTEAM_BASE_URL="$base_url" PASSTEAM_TOKEN="$token" \
	"$work/cashier" -phone +79167654321 -purchase 1000 -rate 5 | tee "$work/run1.txt"
grep -q '^issued card ' "$work/run1.txt" || fail "the first run did not issue a card"
grep -Eq '^ok: card [0-9a-f]{24} bonus 50 cards 1$' "$work/run1.txt" || fail "the first run's summary is wrong"
# Second sale (the shared build, flags instead of env): the card is found; 50 + 10% of 300 = 80.
"$work/cashier-shared" -base-url "$base_url" -token "$token" -phone +79167654321 -purchase 300 -rate 10 | tee "$work/run2.txt"
grep -q '^found card ' "$work/run2.txt" || fail "the second run did not find the card"
grep -Eq '^ok: card [0-9a-f]{24} bonus 80 cards 1$' "$work/run2.txt" || fail "the second run's summary is wrong"
# Points are whole in every example: 5% of 1250.50 is 62 (62.525 rounded down); 80 + 62 = 142.
"$work/cashier" -base-url "$base_url" -token "$token" -phone +79167654321 -purchase 1250.50 -rate 5 | tee "$work/run2b.txt"
grep -q '^accrued 62 points ' "$work/run2b.txt" || fail "the fractional purchase was not rounded down to whole points"
grep -Eq '^ok: card [0-9a-f]{24} bonus 142 cards 1$' "$work/run2b.txt" || fail "the third run's summary is wrong"
# A wrong token fails with a message and a non-zero status.
if "$work/cashier" -base-url "$base_url" -token wrong >"$work/run3.txt" 2>&1; then
	fail "the example succeeded with a wrong token"
fi
grep -q 'PASSTEAM_ERR_AUTH' "$work/run3.txt" || fail "the wrong-token run did not report PASSTEAM_ERR_AUTH: $(cat "$work/run3.txt")"

# Issue 10, item 4: how a module outside this repository uses the binding today. The module is copied
# without target/ or include/ (as the module cache would hold it once published), so only the documented
# CGO flags can find the library and the header. GOPROXY=off: nothing is downloaded.
outside_module() { # $1: "replace", "work" or "release"
	local dir="$work/outside-$1" copy="$work/module-copy"
	rm -rf "$dir" && mkdir -p "$dir"
	[ -d "$copy" ] || { mkdir -p "$copy" && cp "$here"/*.go "$here/go.mod" "$copy/" && rm -f "$copy"/*_test.go; }
	local cgo_cflags="-I$root/include" cgo_ldflags="-L$root/target/release"
	if [ "$1" = release ]; then
		# The module as its release tag carries it: the library inside (scripts/go-native), no CGO flags.
		copy="$work/module-release"
		rm -rf "$copy" && mkdir -p "$copy" && cp "$work/module-copy"/*.go "$work/module-copy/go.mod" "$copy/"
		"$root/scripts/go-native" --no-build "$copy"
		cgo_cflags="" cgo_ldflags=""
	fi
	cat >"$dir/main.go" <<'GO'
package main

import (
	"context"
	"fmt"
	"os"

	passteam "github.com/passteam/passteam/bindings/go"
)

func main() {
	client, err := passteam.New(passteam.Config{Token: os.Getenv("PASSTEAM_TOKEN"), BaseURL: os.Getenv("PASSTEAM_BASE_URL")})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer client.Close()
	templates, err := client.GetListTemplates(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("outside module: %d templates\n", len(templates))
}
GO
	if [ "$1" != work ]; then
		cat >"$dir/go.mod" <<MOD
module example.com/till

go 1.24

require github.com/passteam/passteam/bindings/go v0.0.0

replace github.com/passteam/passteam/bindings/go => $copy
MOD
	else
		printf 'module example.com/till\n\ngo 1.24\n' >"$dir/go.mod"
		(cd "$dir" && GOWORK= go work init . "$copy")
	fi
	local modflag=-mod=mod # a workspace allows only the default (readonly)
	[ "$1" = work ] && modflag=
	(cd "$dir" && GOPROXY=off GOFLAGS=$modflag \
		CGO_CFLAGS="$cgo_cflags" CGO_LDFLAGS="$cgo_ldflags" go build -o "$dir/till" .) ||
		fail "an outside module ($1) does not build (CGO_CFLAGS='$cgo_cflags' CGO_LDFLAGS='$cgo_ldflags')"
	PASSTEAM_BASE_URL="$base_url" PASSTEAM_TOKEN="$token" "$dir/till" | tee "$dir/out.txt"
	grep -q '^outside module: 2 templates$' "$dir/out.txt" || fail "the outside module ($1) did not run"
}
step "an outside module uses the binding through a replace directive and the CGO flags"
GOWORK=off outside_module replace
step "an outside module uses the binding through go work and the CGO flags"
outside_module work
step "an outside module uses a release of the module (library inside, scripts/go-native) with no CGO flags"
GOWORK=off outside_module release

step "benchmark: getcard through the binding vs plain net/http (ratio = passteam/net-http calls per second)"
(cd "$here" && go test -count=1 -run '^$' -bench 'GetCardVsNetHTTP' -benchtime "${PASSTEAM_GO_BENCH_CALLS:-2000}x" .)

step "all passed"
echo "go binding: all checks passed"
