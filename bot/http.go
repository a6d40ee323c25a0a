package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// MaxRequestBody caps a Slack request body; Slack's are a few kilobytes.
const MaxRequestBody = 1 << 20

// Handler serves everything on the bot's HTTP listener: in HTTP mode the
// Slack endpoints POST /slack/events, /slack/commands and
// /slack/interactive; in both modes GET /healthz, /readyz and /metrics.
func (b *Bot) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", b.readyz)
	mux.Handle("GET /metrics", b.metrics.Handler())
	if b.opt.AppToken == "" {
		mux.HandleFunc("POST /slack/events", b.verified(b.serveEvents))
		mux.HandleFunc("POST /slack/commands", b.verified(b.serveCommands))
		mux.HandleFunc("POST /slack/interactive", b.verified(b.serveInteractive))
	}
	return mux
}

// readyz reports ready when Slack accepted the token (and, in Socket Mode,
// the socket is connected) and every extra check passes.
func (b *Bot) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	var lines []string
	ok := true
	if b.slackOK.Load() {
		lines = append(lines, "slack: ok")
	} else {
		ok = false
		lines = append(lines, "slack: not connected")
	}
	names := make([]string, 0, len(b.opt.Ready))
	for n := range b.opt.Ready {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := b.opt.Ready[n](ctx); err != nil {
			ok = false
			lines = append(lines, n+": "+err.Error())
		} else {
			lines = append(lines, n+": ok")
		}
	}
	names = names[:0]
	for n := range b.opt.Degraded {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := b.opt.Degraded[n](ctx); err != nil {
			lines = append(lines, n+": degraded ("+err.Error()+")")
		} else {
			lines = append(lines, n+": ok")
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	io.WriteString(w, strings.Join(lines, "\n")+"\n")
}

// verified reads the body under a size cap and checks Slack's signature
// (HMAC over the raw body, timestamp within 5 minutes) before anything
// parses it. Forged, stale or tampered requests get 401 and touch nothing.
func (b *Bot) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		sv, err := slack.NewSecretsVerifier(r.Header, b.opt.SigningSecret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil {
			b.metrics.Events.WithLabelValues("http", "unauthorized").Inc()
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		next(w, r, body)
	}
}

func (b *Bot) serveEvents(w http.ResponseWriter, r *http.Request, body []byte) {
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		var ch slackevents.ChallengeResponse
		if err := json.Unmarshal(body, &ch); err != nil {
			http.Error(w, "bad challenge", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, ch.Challenge)
		return
	case slackevents.CallbackEvent:
		if e, ok := fromEventsAPI(ev); ok && b.onEvent(e) == "shutting_down" {
			// Let Slack retry, at another replica.
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// fromEventsAPI turns an Events API callback into an event.
func fromEventsAPI(ev slackevents.EventsAPIEvent) (event, bool) {
	var id string
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
		id = cb.EventID
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		sub := ""
		if e.Edited != nil {
			sub = "message_changed"
		}
		return event{id: id, kind: "app_mention", channel: e.Channel, user: e.User, text: e.Text,
			ts: e.TimeStamp, threadTS: e.ThreadTimeStamp, botID: e.BotID, subtype: sub}, true
	case *slackevents.MessageEvent:
		return event{id: id, kind: "message", channel: e.Channel, channelType: e.ChannelType, user: e.User,
			text: e.Text, ts: e.TimeStamp, threadTS: e.ThreadTimeStamp, botID: e.BotID, subtype: e.SubType}, true
	}
	return event{}, false
}

func (b *Bot) serveCommands(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	ack := b.onSlash(command{
		channel:     form.Get("channel_id"),
		user:        form.Get("user_id"),
		text:        form.Get("text"),
		responseURL: form.Get("response_url"),
	})
	writeJSON(w, ackPayload(ack))
}

// ackPayload is the immediate private reply to a slash command.
func ackPayload(text string) map[string]string {
	return map[string]string{"response_type": slack.ResponseTypeEphemeral, "text": text}
}

func (b *Bot) serveInteractive(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	for _, in := range fromInteraction(cb) {
		b.onInteraction(in)
	}
	w.WriteHeader(http.StatusOK)
}

// fromInteraction turns the block actions of a click, or the "Check
// against sources" message shortcut, into interactions.
func fromInteraction(cb slack.InteractionCallback) []interaction {
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	if cb.Type == slack.InteractionTypeMessageAction && cb.CallbackID == ShortcutCheck {
		// "Check against sources" on a message: its text is the draft.
		return []interaction{{actionID: ActionCheck, value: cb.Message.Text, user: cb.User.ID, channel: channel, responseURL: cb.ResponseURL}}
	}
	if cb.Type != slack.InteractionTypeBlockActions {
		return nil
	}
	var out []interaction
	for _, a := range cb.ActionCallback.BlockActions {
		out = append(out, interaction{actionID: a.ActionID, value: a.Value, user: cb.User.ID, channel: channel, responseURL: cb.ResponseURL})
	}
	return out
}

func writeJSON(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(v)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(buf.Bytes())
}
