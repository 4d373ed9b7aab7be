package passteam

import (
	"context"
	"net"
	"strings"
	"testing"
)

func TestDiagnoseFindsTheWayToTheSandboxClear(t *testing.T) {
	c := newClient(t)
	d, err := c.Diagnose(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !d.OK {
		t.Fatalf("diagnosis not ok: %+v", d)
	}
	for _, name := range []string{"dns", "tcp", "tls", "token", "quota", "library"} {
		check := d.Check(name)
		if check == nil || check.Status != CheckOK {
			t.Fatalf("%s: %+v", name, check)
		}
	}
}

func TestDiagnoseNamesAWrongTokenAndAClosedPort(t *testing.T) {
	c := newClient(t, func(cfg *Config) { cfg.Token = "wrong-token" })
	d, err := c.Diagnose(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if token := d.Check("token"); token == nil || token.Status != CheckFailed || d.OK {
		t.Fatalf("token check: %+v", token)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	closed := newClient(t, func(cfg *Config) { cfg.BaseURL = "http://" + addr })
	d, err = closed.Diagnose(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tcp := d.Check("tcp")
	if tcp == nil || tcp.Status != CheckFailed || !strings.Contains(tcp.Advice, "nothing listens") {
		t.Fatalf("tcp check: %+v", tcp)
	}
}

func TestDiagnoseOnAClosedClient(t *testing.T) {
	c := newClient(t)
	c.Close()
	if _, err := c.Diagnose(context.Background()); err != ErrClosed {
		t.Fatalf("err = %v; want ErrClosed", err)
	}
}
