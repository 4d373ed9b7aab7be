module github.com/passteam/passteam/examples/go

go 1.24

require github.com/passteam/passteam/bindings/go v0.0.0-00010101000000-000000000000

// The binding is used from this repository's checkout, not from a published version.
replace github.com/passteam/passteam/bindings/go => ../../bindings/go
