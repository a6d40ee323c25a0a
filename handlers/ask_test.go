package handlers

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// A question over the limit is refused before any search; one at the limit
// is asked.
func TestQuestionLengthLimit(t *testing.T) {
	svc := &Service{Index: newTestIndex(t, testArticles())}
	ctx := context.Background()
	at := "Who " + strings.Repeat("x", MaxQuestionRunes-5) + "?"
	if _, err := svc.Ask(ctx, AskRequest{Question: at}); err != nil {
		t.Errorf("a question of %d characters: %v", len([]rune(at)), err)
	}
	over := "Who " + strings.Repeat("é", MaxQuestionRunes) + "?"
	if _, err := svc.Ask(ctx, AskRequest{Question: over}); !errors.Is(err, ErrQuestionTooLong) {
		t.Errorf("a question of %d characters: err %v, want ErrQuestionTooLong", len([]rune(over)), err)
	}
}

// The bound is a setting; the error says it.
func TestQuestionLengthSetting(t *testing.T) {
	svc := &Service{Index: newTestIndex(t, testArticles()), MaxQuestion: 200}
	_, err := svc.Ask(context.Background(), AskRequest{Question: "Who " + strings.Repeat("x", 200) + "?"})
	var tl *QuestionTooLongError
	if !errors.As(err, &tl) || tl.Limit != 200 || !strings.Contains(err.Error(), "200 characters") {
		t.Errorf("err %v, want a QuestionTooLongError at 200", err)
	}
}
