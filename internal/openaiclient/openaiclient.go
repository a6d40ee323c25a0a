// Package openaiclient holds what the chat answerer and the embedder share
// about talking to an OpenAI-compatible server: the go-openai client
// configuration for OpenAI-style and Azure servers, and the retry waits.
package openaiclient

import (
	"context"
	"math/rand/v2"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
)

// Config builds the go-openai configuration. apiType "azure" selects Azure
// OpenAI (deployments named like their models); any other value an
// OpenAI-style server at baseURL (OpenAI itself when baseURL is empty). A
// nil hc keeps go-openai's default HTTP client.
func Config(key, baseURL, apiType, apiVersion string, hc goopenai.HTTPDoer) goopenai.ClientConfig {
	var cfg goopenai.ClientConfig
	if strings.EqualFold(apiType, "azure") {
		cfg = goopenai.DefaultAzureConfig(key, baseURL)
		if apiVersion != "" {
			cfg.APIVersion = apiVersion
		}
		cfg.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		cfg = goopenai.DefaultConfig(key)
		if baseURL != "" {
			cfg.BaseURL = strings.TrimRight(baseURL, "/")
		}
	}
	if hc != nil {
		cfg.HTTPClient = hc
	}
	return cfg
}

// Backoff returns the wait before retry number try+1: base doubled per
// try, capped at 10s, with ±25% jitter.
func Backoff(base time.Duration, try int) time.Duration {
	d := min(base<<min(try, 10), 10*time.Second)
	return time.Duration(float64(d) * (0.75 + rand.Float64()/2))
}

// Sleep waits d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
