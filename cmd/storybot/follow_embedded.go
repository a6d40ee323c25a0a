package main

import (
	"context"
	"fmt"

	"github.com/storybot/storybot/retrieval/embedded"
)

// followEmbedded loads the index from the embedded store and keeps it in
// step with the store's change log in the background until ctx ends, so
// articles another process (storybot ingest) writes into the data folder
// reach this one's answers within a poll (embedded.FollowEvery). It returns
// once the index is loaded.
func (a *app) followEmbedded(ctx context.Context, st *embedded.Store) error {
	// The position comes first: a write made while the index loads is
	// applied again afterwards, which is harmless.
	pos, err := st.Position(ctx)
	if err != nil {
		return fmt.Errorf("load index: %w", err)
	}
	if err := a.load(ctx); err != nil {
		return err
	}
	f := &embedded.Follower{Store: st, Index: a.index, Log: a.log}
	go f.Run(ctx, pos)
	a.following = f
	return nil
}
