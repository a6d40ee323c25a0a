package bot

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the Prometheus metrics the bot exports on /metrics.
type Metrics struct {
	reg *prometheus.Registry

	// Questions counts answered questions by status (answered, partial,
	// not_covered, error, rate_limited).
	Questions *prometheus.CounterVec
	// AnswerSeconds is the time from a question's arrival to its answer
	// being posted.
	AnswerSeconds prometheus.Histogram
	// SlackErrors counts failed Slack API calls by method.
	SlackErrors *prometheus.CounterVec
	// SlackRateLimited counts Slack 429 responses by method.
	SlackRateLimited *prometheus.CounterVec
	// Ingested counts articles ingested through the bot, by outcome.
	Ingested *prometheus.CounterVec
	// Events counts incoming Slack deliveries by kind and what was done
	// with them (handled, duplicate, ignored).
	Events *prometheus.CounterVec
	// Queued is how many questions wait for a turn to be answered.
	Queued prometheus.Gauge
}

// NewMetrics returns the bot's metrics in their own registry, with the Go
// runtime and process collectors.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		Questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "storybot_questions_total", Help: "Questions answered, by status.",
		}, []string{"status"}),
		AnswerSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "storybot_answer_seconds",
			Help:    "Time from a question's arrival to its answer being posted.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2, 5, 10, 20, 30, 60},
		}),
		SlackErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "storybot_slack_api_errors_total", Help: "Failed Slack API calls, by method.",
		}, []string{"method"}),
		SlackRateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "storybot_slack_rate_limited_total", Help: "Slack 429 responses, by method.",
		}, []string{"method"}),
		Ingested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "storybot_ingest_total", Help: "Articles ingested through the bot, by outcome.",
		}, []string{"outcome"}),
		Events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "storybot_slack_events_total", Help: "Slack deliveries, by kind and result.",
		}, []string{"kind", "result"}),
		Queued: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "storybot_answer_queue_length", Help: "Questions waiting for a turn to be answered.",
		}),
	}
	reg.MustRegister(m.Questions, m.AnswerSeconds, m.SlackErrors, m.SlackRateLimited, m.Ingested, m.Events, m.Queued,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the registry, so other parts of the process (feeds,
// ingest, the model client) can add their own metrics to /metrics.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
