package passteam

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"
)

// Seeded fixtures of the sandbox.
const (
	loyaltyTemplate = "5e424c181dbf0d537c8b4569"
	giftTemplate    = "5e424c181dbf0d537c8b456a"
	companyID       = "5e424c181dbf0d537c8b0001"
	seededSale      = "sale-1"
	unknownCardID   = "000000000000000000000000"
)

// sandbox is a running `passteam sandbox` process and its control interface.
type sandbox struct {
	BaseURL string `json:"base_url"`
	Token   string `json:"token"`
	cmd     *exec.Cmd
	stdin   io.WriteCloser
}

// startSandbox runs the CLI and reads its first stdout line, {"base_url", "port", "token"}.
// --exit-on-eof ties the sandbox to our stdin pipe: if this process dies, the sandbox exits too.
func startSandbox() (*sandbox, error) {
	path := os.Getenv("PASSTEAM_CLI")
	if path == "" {
		path = "../../target/release/passteam"
	}
	cmd := exec.Command(path, "sandbox", "--exit-on-eof")
	// Its banner on stderr is noise in test output; it is shown only when the start fails.
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w (build it with `cargo build --release -p passteam-cli` or set PASSTEAM_CLI)", path, err)
	}
	s := &sandbox{cmd: cmd, stdin: stdin}
	lines := make(chan []byte, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadBytes('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, r) // keep draining so the sandbox never blocks on a full pipe
	}()
	select {
	case line := <-lines:
		if err := json.Unmarshal(line, s); err != nil || s.BaseURL == "" {
			s.stop()
			return nil, fmt.Errorf("unexpected first line %q (%v); stderr: %s", line, err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		s.stop()
		return nil, fmt.Errorf("%s printed no first line within 30s; stderr: %s", path, stderr.String())
	}
	return s, nil
}

func (s *sandbox) stop() {
	_ = s.stdin.Close()
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// control sends one request to the sandbox's /_sandbox/ interface and decodes the JSON reply.
func (s *sandbox) control(t testing.TB, verb, path string, body, out any) {
	t.Helper()
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequest(verb, s.BaseURL+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", verb, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d: %s", verb, path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v in %s", verb, path, err, data)
		}
	}
}

// fault queues one fault; the test's cleanup removes whatever faults remain.
func (s *sandbox) fault(t testing.TB, f map[string]any) {
	t.Helper()
	s.control(t, "POST", "/_sandbox/faults", f, nil)
	t.Cleanup(func() { s.control(t, "DELETE", "/_sandbox/faults", nil, nil) })
}

// loggedRequest is one entry of GET /_sandbox/requests.
type loggedRequest struct {
	Seq         int               `json:"seq"`
	Verb        string            `json:"verb"`
	Path        string            `json:"path"`
	Method      string            `json:"method"`
	ContentType string            `json:"content_type"`
	Fields      map[string]string `json:"fields"`
	Status      *int              `json:"status"`
	Fault       *string           `json:"fault"`
	AuthOK      bool              `json:"auth_ok"`
}

func (s *sandbox) requests(t testing.TB) []loggedRequest {
	t.Helper()
	var out []loggedRequest
	s.control(t, "GET", "/_sandbox/requests", nil, &out)
	return out
}

func (s *sandbox) clearRequests(t testing.TB) {
	t.Helper()
	s.control(t, "DELETE", "/_sandbox/requests", nil, nil)
}

func (s *sandbox) reset(t testing.TB) {
	t.Helper()
	s.control(t, "POST", "/_sandbox/reset", nil, nil)
}

// newClient returns a client of the sandbox, closed at the test's end. Retries are fast so that
// injected faults do not slow the suite down.
func newClient(t testing.TB, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Token:          sb.Token,
		BaseURL:        sb.BaseURL,
		Timeout:        10 * time.Second,
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  5 * time.Millisecond,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

var phoneSeq atomic.Int64

// newPhone returns a valid international number no other test has used in this sandbox.
func newPhone() string {
	return fmt.Sprintf("+7916%07d", phoneSeq.Add(1))
}

// newCard creates a LOYALTY card with a fresh phone.
func newCard(t testing.TB, c *Client) Card {
	t.Helper()
	card, err := c.CreateCard(context.Background(), NewCard{
		TemplateID: loyaltyTemplate,
		Values:     Values{"PHONE": newPhone(), "CLIENT_NAME": "Test Client"},
	})
	if err != nil {
		t.Fatalf("CreateCard: %v", err)
	}
	return card
}
