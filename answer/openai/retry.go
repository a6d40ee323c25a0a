package openai

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
)

// observation is what the HTTP layer saw of one call's response; go-openai
// errors keep the status but drop the headers, and a 429's Retry-After is
// in the headers.
type observation struct {
	mu     sync.Mutex
	status int
	header http.Header
}

type obsKey struct{}

func withObservation(ctx context.Context, o *observation) context.Context {
	return context.WithValue(ctx, obsKey{}, o)
}

// observingDoer records each response's status and headers in the
// request's observation.
type observingDoer struct{ c *http.Client }

func (d observingDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req)
	if resp != nil {
		if o, ok := req.Context().Value(obsKey{}).(*observation); ok {
			o.mu.Lock()
			o.status = resp.StatusCode
			o.header = resp.Header.Clone()
			o.mu.Unlock()
		}
	}
	return resp, err
}

// retryAfter returns the wait a response asked for: retry-after-ms, or
// Retry-After in seconds or as an HTTP date.
func (o *observation) retryAfter(now time.Time) (time.Duration, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.header == nil {
		return 0, false
	}
	if v := strings.TrimSpace(o.header.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(o.header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// statusOf returns the HTTP status of a failed call, 0 when no response
// came.
func statusOf(err error, o *observation) int {
	var apiErr *goopenai.APIError
	if errors.As(err, &apiErr) && apiErr.HTTPStatusCode > 0 {
		return apiErr.HTTPStatusCode
	}
	var reqErr *goopenai.RequestError
	if errors.As(err, &reqErr) && reqErr.HTTPStatusCode > 0 {
		return reqErr.HTTPStatusCode
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.status
}

// transient reports failures worth retrying: no response at all (timeout,
// connection refused or reset, a body cut short), 408, 409, 429 and 5xx.
func transient(status int, err error) bool {
	switch {
	case status == 0:
		return !errors.Is(err, context.Canceled)
	case status == http.StatusRequestTimeout, status == http.StatusConflict, status == http.StatusTooManyRequests:
		return true
	case status >= 500:
		return true
	case status >= 200 && status < 300:
		return true // a 200 whose body did not decode
	}
	return false
}
