package passteam

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestConfigOmitsZeroValues(t *testing.T) {
	doc, err := Config{}.marshal()
	if err != nil || string(doc) != "{}" {
		t.Fatalf("Config{} = %s, %v", doc, err)
	}
	doc, _ = Config{Token: "t", Timeout: 1500 * time.Microsecond, RetryBaseDelay: -time.Second}.marshal()
	if string(doc) != `{"token":"t","timeout_ms":2}` {
		t.Fatalf("durations must round up to whole ms and skip non-positive ones: %s", doc)
	}
}

// fullConfig sets every field to a value the library accepts.
func fullConfig(t *testing.T) Config {
	dir := t.TempDir()
	return Config{
		Token:             sb.Token,
		BaseURL:           sb.BaseURL,
		Timeout:           5 * time.Second,
		ConnectTimeout:    time.Second,
		ReadTimeout:       2 * time.Second,
		UserAgent:         "passteam-go-test",
		Proxy:             "http://127.0.0.1:9",
		BodyEncoding:      BodyURLEncoded,
		MaxResponseBytes:  1 << 20,
		Endpoints:         map[string]Endpoint{"getsale": {Path: "/custom/sale"}},
		AllowInsecureHTTP: true,
		MaxAttempts:       2,
		RetryBaseDelay:    10 * time.Millisecond,
		RetryMaxDelay:     50 * time.Millisecond,
		QuotaPerHour:      100,
		QuotaPerDay:       1000,
		TLSRoots:          "system",
		CABundle:          writeTestCA(t, dir),
		LogFile:           filepath.Join(dir, "passteam.log"),
		LogLevel:          "debug",
		Validation:        "strict",
		PhoneRegion:       "KZ",
		TemplateTTL:       time.Minute,
		OutboxPath:        filepath.Join(dir, "outbox.sqlite"),
		OutboxReplay:      "manual",
		BreakerFailures:   5,
		BreakerCooldown:   time.Second,
		StaleReads:        true,
	}
}

// The library knows every key the binding writes (it rejects unknown keys).
func TestEveryConfigKeyIsAccepted(t *testing.T) {
	cfg := fullConfig(t)
	doc, err := cfg.marshal()
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	_ = json.Unmarshal(doc, &keys)
	var got []string
	for k := range keys {
		got = append(got, k)
	}
	// The binding writes every key the library's schema lists, and no other.
	want, err := configKeys()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("config keys %v; the library's schema has %v", got, want)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New(full config): %v", err)
	}
	defer c.Close()
}

// Settings reach the wire: body encoding, endpoints, the log file.
func TestConfigTakesEffect(t *testing.T) {
	ctx := context.Background()
	cfg := fullConfig(t)
	cfg.Proxy, cfg.CABundle, cfg.TLSRoots = "", "", ""
	c := newClient(t, func(c *Config) { *c = cfg })
	sb.clearRequests(t)
	if _, err := c.GetTemplate(ctx, loyaltyTemplate); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSale(ctx, seededSale); err == nil {
		t.Fatal("a sale served at a path the sandbox does not know")
	}
	log := sb.requests(t)
	if len(log) != 2 || log[0].ContentType != "urlencoded" || log[1].Path != "/custom/sale" {
		t.Fatalf("requests = %+v", log)
	}
	if info, err := os.Stat(cfg.LogFile); err != nil || info.Size() == 0 {
		t.Fatalf("log file: %v", err)
	}

	multipart := newClient(t)
	sb.clearRequests(t)
	if _, err := multipart.GetTemplate(ctx, loyaltyTemplate); err != nil {
		t.Fatal(err)
	}
	if log := sb.requests(t); len(log) != 1 || log[0].ContentType != "multipart" {
		t.Fatalf("default encoding: %+v", log)
	}
}

// writeTestCA writes a self-signed CA certificate (PEM) for the ca_bundle key.
func writeTestCA(t *testing.T, dir string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "passteam test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
