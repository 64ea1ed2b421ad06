package logsum

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Handler is a slog.Handler that passes on at most Burst records of each
// kind (level and message) per interval and summarises the rest: at the
// end of the interval one record says how many were held back, with the
// first of them as an example. A peer flooded with garbage, with -v,
// then writes a few lines per second, not megabytes.
//
// Handlers made by WithAttrs and WithGroup share their parent's counts.
// Stop flushes what is held back.
type Handler struct {
	next slog.Handler
	s    *handlerState
}

// handlerState is what a Handler and the handlers derived from it share.
type handlerState struct {
	interval time.Duration
	burst    int

	mu      sync.Mutex
	kinds   map[kindKey]*kind
	stopped bool
}

// maxKinds bounds the kinds a Handler tracks (messages are constants in
// this code base, so this is never reached; beyond it records pass).
const maxKinds = 4096

type kindKey struct {
	level slog.Level
	msg   string
}

// kind counts the records of one kind in the current interval.
type kind struct {
	end     time.Time // end of the interval
	n       int       // records in the interval
	held    int       // of them, held back
	example slog.Record
	via     slog.Handler // the handler the example came through
	timer   *time.Timer
}

// NewHandler returns a Handler in front of next, passing burst records
// of a kind per interval (DefaultInterval and 5 if zero).
func NewHandler(next slog.Handler, interval time.Duration, burst int) *Handler {
	if interval <= 0 {
		interval = DefaultInterval
	}
	if burst <= 0 {
		burst = 5
	}
	return &Handler{next: next, s: &handlerState{interval: interval, burst: burst, kinds: make(map[kindKey]*kind)}}
}

// Enabled reports whether the next handler takes records of level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle passes r on, or holds it back when its kind has used its burst.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	s := h.s
	key := kindKey{r.Level, r.Message}
	now := time.Now()
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return h.next.Handle(ctx, r)
	}
	k := s.kinds[key]
	if k == nil {
		if len(s.kinds) >= maxKinds {
			s.mu.Unlock()
			return h.next.Handle(ctx, r)
		}
		k = &kind{}
		s.kinds[key] = k
	}
	if now.After(k.end) && k.held == 0 {
		k.end, k.n = now.Add(s.interval), 0
	}
	k.n++
	if k.n <= s.burst {
		s.mu.Unlock()
		return h.next.Handle(ctx, r)
	}
	if k.held == 0 {
		k.example, k.via = r.Clone(), h.next
		if k.timer == nil {
			k.timer = time.AfterFunc(time.Until(k.end), func() { s.flush(key) })
		} else {
			k.timer.Reset(time.Until(k.end))
		}
	}
	k.held++
	s.mu.Unlock()
	return nil
}

// flush writes the summary of the records of key held back, and starts
// the kind's next interval.
func (s *handlerState) flush(key kindKey) {
	s.mu.Lock()
	k := s.kinds[key]
	if k == nil || k.held == 0 {
		s.mu.Unlock()
		return
	}
	held, ex, via := k.held, k.example, k.via
	k.held, k.example, k.via = 0, slog.Record{}, nil
	// The summary counts as the first record of the next interval.
	k.end, k.n = time.Now().Add(s.interval), 1
	s.mu.Unlock()
	sum := slog.NewRecord(time.Now(), ex.Level, ex.Message+" (repeated)", 0)
	var attrs []any
	ex.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a); return true })
	sum.AddAttrs(slog.Int("count", held), slog.Duration("within", s.interval), slog.Group("example", attrs...))
	_ = via.Handle(context.Background(), sum)
}

// WithAttrs returns a Handler sharing h's counts, in front of
// next.WithAttrs(attrs).
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &Handler{next: h.next.WithAttrs(attrs), s: h.s}
}

// WithGroup returns a Handler sharing h's counts, in front of
// next.WithGroup(name).
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name), s: h.s}
}

// Stop writes the summaries of what is held back, stops the timers and
// lets every later record through.
func (h *Handler) Stop() {
	s := h.s
	s.mu.Lock()
	keys := make([]kindKey, 0, len(s.kinds))
	for key, k := range s.kinds {
		keys = append(keys, key)
		if k.timer != nil {
			k.timer.Stop()
		}
	}
	s.mu.Unlock()
	for _, key := range keys {
		s.flush(key)
	}
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
}
