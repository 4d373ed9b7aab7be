module github.com/passteam/passteam-go

go 1.24
