// Package passteam is the Go binding of libpassteam, the native SDK for the Passteam loyalty-card
// API (module github.com/passteam/passteam/bindings/go, in bindings/go of the passteam repository).
//
//	client, err := passteam.New(passteam.Config{Token: token})
//	if err != nil { ... }
//	defer client.Close()
//	card, err := client.GetCard(ctx, passteam.CardLookup{CardID: id})
//	if errors.Is(err, passteam.ErrNotFound) { ... }
//
// The package uses cgo. By default it links the static library
// ../../target/release/libpassteam.a (relative to this directory), so binaries need no
// libpassteam.so at run time; build the library first with
// `cargo build --release -p libpassteam`. Outside the repository, point cgo at your copy:
//
//	CGO_CFLAGS="-I/path/to/include" CGO_LDFLAGS="-L/path/to/lib" go build
//
// The build tag passteam_shared links libpassteam.so instead (go build -tags passteam_shared).
//
// A Client is safe for concurrent use. Each operation takes a context: a deadline shorter than
// Config.Timeout becomes the call's own deadline, and a timeout caused by it satisfies both
// errors.Is(err, ErrTimeout) and errors.Is(err, context.DeadlineExceeded); a context already done
// returns ctx.Err() without calling. A cancellation does not interrupt a call in flight (a C call
// cannot be): the call ends by its deadline at the latest.
package passteam
