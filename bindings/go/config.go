package passteam

import (
	"encoding/json"
	"time"
)

// Body encodings for Config.BodyEncoding and Endpoint.BodyEncoding.
const (
	BodyMultipart  = "multipart"  // multipart/form-data, as the vendor's document does (default)
	BodyURLEncoded = "urlencoded" // application/x-www-form-urlencoded, as the vendor's 1C sample does
)

// Config configures a Client. The zero value of a field means the library's default (in
// parentheses below); durations are sent in whole milliseconds, rounded up.
type Config struct {
	// Token is the API token (from the personal account, or GetAToken).
	Token string
	// BaseURL is the API's root ("https://getpass.passteam.ru"). Plain http:// is accepted only for
	// 127.0.0.0/8, ::1 and localhost unless AllowInsecureHTTP is set.
	BaseURL string
	// Timeout bounds a whole call, retries included (30s). A context deadline can only shorten it.
	Timeout time.Duration
	// ConnectTimeout bounds one TCP/TLS connect (10s); ReadTimeout one read (20s).
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration
	// UserAgent replaces the library's User-Agent header.
	UserAgent string
	// Proxy is an HTTP(S) proxy URL.
	Proxy string
	// BodyEncoding is BodyMultipart (default) or BodyURLEncoded.
	BodyEncoding string
	// MaxResponseBytes caps a reply's size (16 MiB); a larger one is a protocol error.
	MaxResponseBytes int64
	// Endpoints overrides where the sales and products operations are served, keyed by wire
	// name ("getsale", "createproduct", ...).
	Endpoints map[string]Endpoint
	// AllowInsecureHTTP permits plain http:// to any host (tests, trusted networks only).
	AllowInsecureHTTP bool
	// MaxAttempts is how many times an idempotent request may be sent (3); 1 disables retries.
	MaxAttempts int
	// RetryBaseDelay (200ms) and RetryMaxDelay (2s) shape the exponential backoff between retries.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	// QuotaPerHour (30000) and QuotaPerDay (350000) are the client-side request budget.
	QuotaPerHour int
	QuotaPerDay  int
	// TLSRoots is "bundled" (default) or "system"; CABundle is a PEM file of extra roots.
	TLSRoots string
	CABundle string
	// LogFile and LogLevel ("off", "error", "info", "debug") turn on the library's log.
	LogFile  string
	LogLevel string
	// Validation is what happens to card variables before sending: "normalize" (default: fix what
	// can be fixed, e.g. phones to E.164, refuse the rest), "strict" (refuse what is not canonical)
	// or "off". PhoneRegion ("RU") reads phones written without a country code; TemplateTTL (10m)
	// is how long a template read for validation is reused.
	Validation  string
	PhoneRegion string
	TemplateTTL time.Duration
}

// Endpoint places one REST operation (sales, products): any zero field keeps the default.
type Endpoint struct {
	BaseURL      string `json:"base_url,omitempty"`
	Path         string `json:"path,omitempty"`
	Verb         string `json:"verb,omitempty"`
	BodyEncoding string `json:"body_encoding,omitempty"`
}

// defaultTimeout is the library's timeout_ms default, used to tell whether a context deadline
// or the client's timeout bounded a call.
const defaultTimeout = 30 * time.Second

// effectiveTimeout is the whole-call bound the library applies without a per-call deadline.
func (c Config) effectiveTimeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return defaultTimeout
}

// configJSON is the library's config document; zero values are omitted so that the library's
// defaults apply.
type configJSON struct {
	Token             string              `json:"token,omitempty"`
	BaseURL           string              `json:"base_url,omitempty"`
	TimeoutMS         uint64              `json:"timeout_ms,omitempty"`
	ConnectTimeoutMS  uint64              `json:"connect_timeout_ms,omitempty"`
	ReadTimeoutMS     uint64              `json:"read_timeout_ms,omitempty"`
	UserAgent         string              `json:"user_agent,omitempty"`
	Proxy             string              `json:"proxy,omitempty"`
	BodyEncoding      string              `json:"body_encoding,omitempty"`
	MaxResponseBytes  int64               `json:"max_response_bytes,omitempty"`
	Endpoints         map[string]Endpoint `json:"endpoints,omitempty"`
	AllowInsecureHTTP bool                `json:"allow_insecure_http,omitempty"`
	MaxAttempts       int                 `json:"max_attempts,omitempty"`
	RetryBaseDelayMS  uint64              `json:"retry_base_delay_ms,omitempty"`
	RetryMaxDelayMS   uint64              `json:"retry_max_delay_ms,omitempty"`
	QuotaPerHour      int                 `json:"quota_per_hour,omitempty"`
	QuotaPerDay       int                 `json:"quota_per_day,omitempty"`
	TLSRoots          string              `json:"tls_roots,omitempty"`
	CABundle          string              `json:"ca_bundle,omitempty"`
	LogFile           string              `json:"log_file,omitempty"`
	LogLevel          string              `json:"log_level,omitempty"`
	Validation        string              `json:"validation,omitempty"`
	PhoneRegion       string              `json:"phone_region,omitempty"`
	TemplateTTLMS     uint64              `json:"template_ttl_ms,omitempty"`
}

// millis rounds a positive duration up to whole milliseconds, so that 1µs never becomes "use the
// default"; zero and negative durations stay 0 (omitted).
func millis(d time.Duration) uint64 {
	if d <= 0 {
		return 0
	}
	return uint64((d + time.Millisecond - 1) / time.Millisecond)
}

// marshal renders the config document the library reads.
func (c Config) marshal() ([]byte, error) {
	return json.Marshal(configJSON{
		Token:             c.Token,
		BaseURL:           c.BaseURL,
		TimeoutMS:         millis(c.Timeout),
		ConnectTimeoutMS:  millis(c.ConnectTimeout),
		ReadTimeoutMS:     millis(c.ReadTimeout),
		UserAgent:         c.UserAgent,
		Proxy:             c.Proxy,
		BodyEncoding:      c.BodyEncoding,
		MaxResponseBytes:  c.MaxResponseBytes,
		Endpoints:         c.Endpoints,
		AllowInsecureHTTP: c.AllowInsecureHTTP,
		MaxAttempts:       c.MaxAttempts,
		RetryBaseDelayMS:  millis(c.RetryBaseDelay),
		RetryMaxDelayMS:   millis(c.RetryMaxDelay),
		QuotaPerHour:      c.QuotaPerHour,
		QuotaPerDay:       c.QuotaPerDay,
		TLSRoots:          c.TLSRoots,
		CABundle:          c.CABundle,
		LogFile:           c.LogFile,
		LogLevel:          c.LogLevel,
		Validation:        c.Validation,
		PhoneRegion:       c.PhoneRegion,
		TemplateTTLMS:     millis(c.TemplateTTL),
	})
}
