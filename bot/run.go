package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// Server returns an HTTP server of the bot's Handler with its time limits.
func (b *Bot) Server() *http.Server {
	return &http.Server{
		Handler:           b.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(b.log.Handler(), slog.LevelWarn),
	}
}

// Run checks the bot token with auth.test, then serves until ctx ends:
// HTTP on ln (the Slack endpoints in HTTP mode; health, readiness and
// metrics always), unless ln is nil because the caller serves Handler
// itself, and, with an app token, Socket Mode. On ctx's end it
// stops taking work and lets in-flight answers finish within
// shutdownTimeout. A rejected token, at start or from Socket Mode later,
// ends Run with an error wrapping ErrAuth.
func (b *Bot) Run(ctx context.Context, ln net.Listener, shutdownTimeout time.Duration) error {
	if err := b.AuthTest(ctx); err != nil {
		if ln != nil {
			ln.Close()
		}
		return err
	}
	errc := make(chan error, 2)
	var srv *http.Server
	if ln != nil {
		srv = b.Server()
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("http: %w", err)
			}
		}()
	}
	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	if b.opt.AppToken != "" {
		b.slackOK.Store(false) // ready once the socket is connected
		go func() { errc <- b.runSocketMode(runCtx) }()
		b.log.Info("serving", "mode", "socket")
	} else {
		b.log.Info("serving", "mode", "http")
	}
	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	b.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	cancelRun()
	if srv != nil {
		_ = srv.Shutdown(sctx) // stop taking requests; Slack retries elsewhere
	}
	if err := b.Shutdown(sctx); err != nil {
		b.log.Warn("shutdown", "err", err)
	}
	return runErr
}

// runSocketMode connects over Socket Mode and dispatches envelopes until
// ctx ends. Each envelope is acknowledged at once, before any work (a slash
// command's acknowledgement carries only its short "Searching…" text);
// answers go out through the Web API or the response_url. The library
// reconnects after disconnects; a revoked or invalid token ends the run.
func (b *Bot) runSocketMode(ctx context.Context) error {
	smc := socketmode.New(b.api,
		socketmode.OptionLog(slog.NewLogLogger(b.log.Handler(), slog.LevelDebug)),
	)
	errc := make(chan error, 1)
	go func() { errc <- smc.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			b.slackOK.Store(false)
			if ctx.Err() != nil {
				return nil
			}
			if err != nil && isAuthError(err) {
				return fmt.Errorf("SLACK_APP_TOKEN: %w (%v)", ErrAuth, err)
			}
			return fmt.Errorf("socket mode: %w", err)
		case evt := <-smc.Events:
			if err := b.onSocketEvent(ctx, smc, evt); err != nil {
				return err
			}
		}
	}
}

func (b *Bot) onSocketEvent(ctx context.Context, smc *socketmode.Client, evt socketmode.Event) error {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		b.slackOK.Store(true)
		b.log.Info("socket mode connected")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeDisconnect:
		b.slackOK.Store(false)
		b.log.Warn("socket mode disconnected; reconnecting")
	case socketmode.EventTypeInvalidAuth:
		b.slackOK.Store(false)
		return fmt.Errorf("SLACK_APP_TOKEN: %w (invalid_auth)", ErrAuth)
	case socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return nil
		}
		_ = smc.AckCtx(ctx, evt.Request.EnvelopeID, nil)
		if api, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			if e, ok := fromEventsAPI(api); ok {
				b.onEvent(e)
			}
		}
	case socketmode.EventTypeSlashCommand:
		if evt.Request == nil {
			return nil
		}
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			_ = smc.AckCtx(ctx, evt.Request.EnvelopeID, nil)
			return nil
		}
		ack := b.onSlash(command{channel: cmd.ChannelID, user: cmd.UserID, text: cmd.Text, responseURL: cmd.ResponseURL})
		_ = smc.AckCtx(ctx, evt.Request.EnvelopeID, ackPayload(ack))
	case socketmode.EventTypeInteractive:
		if evt.Request == nil {
			return nil
		}
		_ = smc.AckCtx(ctx, evt.Request.EnvelopeID, nil)
		if cb, ok := evt.Data.(slack.InteractionCallback); ok {
			for _, in := range fromInteraction(cb) {
				b.onInteraction(in)
			}
		}
	}
	return nil
}
