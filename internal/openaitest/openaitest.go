// Package openaitest runs a scriptable OpenAI-compatible server for tests:
// /v1/chat/completions and /v1/embeddings speak the real JSON protocol, each
// test queues the replies it wants (good JSON, invalid JSON, 429 with
// Retry-After, 500, a hang), and every request is recorded so a test can
// check its path, headers and body and count the calls.
package openaitest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/storybot/storybot/retrieval"
)

// The paths the server answers, relative to its host.
const (
	ChatPath  = "/v1/chat/completions"
	EmbedPath = "/v1/embeddings"
)

// Reply is one scripted response.
type Reply struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// Header is added to the response (Retry-After, say).
	Header http.Header
	// Body is sent verbatim when set.
	Body string
	// Content, for a chat reply with no Body, is the assistant message of
	// a well-formed chat completion.
	Content string
	// Hang blocks the request until the client gives up or the server
	// closes.
	Hang bool
}

// Chat returns a successful chat completion whose message is content.
func Chat(content string) Reply { return Reply{Content: content} }

// JSON returns a successful chat completion whose message is v as JSON.
func JSON(v any) Reply {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return Reply{Content: string(b)}
}

// Error returns an OpenAI-style error response.
func Error(status int, message string) Reply {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{
		"message": message, "type": "server_error", "code": nil,
	}})
	return Reply{Status: status, Body: string(b)}
}

// RateLimited returns a 429 carrying a Retry-After header (seconds or an
// HTTP date).
func RateLimited(retryAfter string) Reply {
	r := Error(http.StatusTooManyRequests, "Rate limit reached, please retry")
	r.Header = http.Header{"Retry-After": {retryAfter}}
	return r
}

// Hang returns a reply that never comes.
func Hang() Reply { return Reply{Hang: true} }

// Request is one request the server received.
type Request struct {
	Method string
	// Path is ChatPath or EmbedPath (an Azure deployment path is mapped to
	// them); URL is the request URL as sent.
	Path   string
	URL    string
	Header http.Header
	Body   []byte
}

// ChatRequest is the part of a chat completion request tests look at.
type ChatRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	ResponseFormat *struct {
		Type       string          `json:"type"`
		JSONSchema json.RawMessage `json:"json_schema"`
	} `json:"response_format"`
	MaxTokens           int `json:"max_tokens"`
	MaxCompletionTokens int `json:"max_completion_tokens"`
}

// Chat decodes the request as a chat completion request.
func (r Request) Chat() (ChatRequest, error) {
	var c ChatRequest
	err := json.Unmarshal(r.Body, &c)
	return c, err
}

// EmbedRequest is an embeddings request.
type EmbedRequest struct {
	Model string          `json:"model"`
	Input json.RawMessage `json:"input"`
}

// Inputs returns the texts to embed, whether sent as one string or a list.
func (e EmbedRequest) Inputs() []string {
	var list []string
	if json.Unmarshal(e.Input, &list) == nil {
		return list
	}
	var one string
	if json.Unmarshal(e.Input, &one) == nil {
		return []string{one}
	}
	return nil
}

// Server is a scripted OpenAI-compatible server.
type Server struct {
	srv  *httptest.Server
	done chan struct{}

	mu       sync.Mutex
	chat     []Reply
	embed    []Reply
	requests []Request

	// ChatFunc, when set, answers chat requests that find the queue empty.
	// It is called without the server's lock held.
	ChatFunc func(ChatRequest) Reply
	// EmbedFunc maps a text to its vector for embedding requests that find
	// the queue empty; nil means HashEmbed.
	EmbedFunc func(text string) []float32
	// Usage is the token count every chat completion reports.
	PromptTokens, CompletionTokens int
}

// New starts a server that closes when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{done: make(chan struct{}), PromptTokens: 100, CompletionTokens: 20}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		close(s.done)
		s.srv.Close()
	})
	return s
}

// URL is the API root to give a client ("http://127.0.0.1:PORT/v1").
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// Close shuts the server down early (to test a server that is gone).
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Listener.Close()
}

// QueueChat adds replies for the next chat requests, in order.
func (s *Server) QueueChat(rs ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chat = append(s.chat, rs...)
}

// QueueEmbed adds replies for the next embedding requests, in order.
func (s *Server) QueueEmbed(rs ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.embed = append(s.embed, rs...)
}

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Calls counts the requests received on a path (ChatPath, EmbedPath).
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Path == path {
			n++
		}
	}
	return n
}

// ChatRequests returns the decoded chat requests received so far.
func (s *Server) ChatRequests(t testing.TB) []ChatRequest {
	t.Helper()
	var out []ChatRequest
	for _, r := range s.Requests() {
		if r.Path != ChatPath {
			continue
		}
		c, err := r.Chat()
		if err != nil {
			t.Fatalf("chat request is not JSON: %v", err)
		}
		out = append(out, c)
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := r.URL.Path
	// Azure puts the deployment in the path.
	if strings.HasSuffix(path, "/chat/completions") {
		path = ChatPath
	} else if strings.HasSuffix(path, "/embeddings") {
		path = EmbedPath
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: path, URL: r.URL.String(), Header: r.Header.Clone(), Body: body})
	var reply Reply
	var scripted bool
	switch path {
	case ChatPath:
		if len(s.chat) > 0 {
			reply, s.chat, scripted = s.chat[0], s.chat[1:], true
		}
	case EmbedPath:
		if len(s.embed) > 0 {
			reply, s.embed, scripted = s.embed[0], s.embed[1:], true
		}
	default:
		s.mu.Unlock()
		write(w, Error(http.StatusNotFound, "no such path "+r.URL.Path))
		return
	}
	s.mu.Unlock()
	if r.Method != http.MethodPost {
		write(w, Error(http.StatusMethodNotAllowed, "POST only"))
		return
	}

	if !scripted {
		switch path {
		case ChatPath:
			var req ChatRequest
			if err := json.Unmarshal(body, &req); err != nil {
				write(w, Error(http.StatusBadRequest, "request is not JSON"))
				return
			}
			if s.ChatFunc == nil {
				write(w, Error(http.StatusInternalServerError, "openaitest: no chat reply scripted"))
				return
			}
			reply = s.ChatFunc(req)
		case EmbedPath:
			s.embeddings(w, body)
			return
		}
	}
	if reply.Hang {
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	}
	if reply.Body == "" && path == ChatPath && (reply.Status == 0 || reply.Status == http.StatusOK) {
		reply.Body = s.completion(reply.Content)
	}
	write(w, reply)
}

func write(w http.ResponseWriter, r Reply) {
	for k, vs := range r.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	status := r.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	io.WriteString(w, r.Body)
}

func (s *Server) completion(content string) string {
	b, _ := json.Marshal(map[string]any{
		"id":      "chatcmpl-test",
		"object":  "chat.completion",
		"created": 1700000000,
		"model":   "test-model",
		"choices": []map[string]any{{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": content},
			"finish_reason": "stop",
		}},
		"usage": map[string]any{
			"prompt_tokens":     s.PromptTokens,
			"completion_tokens": s.CompletionTokens,
			"total_tokens":      s.PromptTokens + s.CompletionTokens,
		},
	})
	return string(b)
}

func (s *Server) embeddings(w http.ResponseWriter, body []byte) {
	var req EmbedRequest
	if err := json.Unmarshal(body, &req); err != nil {
		write(w, Error(http.StatusBadRequest, "request is not JSON"))
		return
	}
	inputs := req.Inputs()
	if len(inputs) == 0 {
		write(w, Error(http.StatusBadRequest, "input is empty"))
		return
	}
	f := s.EmbedFunc
	if f == nil {
		f = HashEmbed
	}
	data := make([]map[string]any, len(inputs))
	tokens := 0
	for i, in := range inputs {
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": f(in)}
		tokens += len(strings.Fields(in))
	}
	b, _ := json.Marshal(map[string]any{
		"object": "list",
		"data":   data,
		"model":  req.Model,
		"usage":  map[string]any{"prompt_tokens": tokens, "total_tokens": tokens},
	})
	write(w, Reply{Body: string(b)})
}

// HashDim is the length of HashEmbed's vectors.
const HashDim = 64

// HashEmbed is a deterministic stand-in for an embedding model: a
// normalised bag of hashed index terms, so texts sharing words are close.
func HashEmbed(text string) []float32 {
	v := make([]float32, HashDim)
	for _, t := range retrieval.Terms(text) {
		h := fnv.New32a()
		h.Write([]byte(t))
		v[h.Sum32()%HashDim]++
	}
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		v[0] = 1
		return v
	}
	for i := range v {
		v[i] = float32(float64(v[i]) / math.Sqrt(n))
	}
	return v
}

// String describes the server without its recorded traffic.
func (s *Server) String() string { return fmt.Sprintf("openaitest server at %s", s.URL()) }
