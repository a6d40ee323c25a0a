package main

import (
	"context"
	"errors"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/retrieval"
)

func openRedis(ctx context.Context, cfg *config.Config) (retrieval.Store, error) {
	return nil, errors.New("REDIS_URL: the Redis store is not wired into this build yet")
}
