module github.com/passteam/passteam/bindings/go

go 1.24
