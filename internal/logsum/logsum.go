// Package logsum keeps logs quiet under floods: a Summary logs the first
// event of its kind at once and then at most one line per interval, with
// how many events it stands for and an example, so that a peer refusing
// thousands of connections writes a few lines, not thousands. Counting
// every event is the metrics' job; a Summary only keeps the log readable.
//
// It is internal to gojxta: the endpoint and the group services use it.
// A Summary starts no goroutine of its own; a timer flushes the last
// interval's count.
package logsum

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// DefaultInterval is the interval of a Summary made with zero.
const DefaultInterval = 10 * time.Second

// Summary summarises the events of one kind.
type Summary struct {
	log      *slog.Logger
	level    slog.Level
	msg      string
	interval time.Duration

	mu      sync.Mutex
	next    time.Time   // when the next line may be written
	count   int         // events since the last line
	example []any       // the first of them
	timer   *time.Timer // writes the count at the end of the interval
	stopped bool
}

// New returns a Summary writing msg at level to log, at most once per
// interval (DefaultInterval if zero).
func New(log *slog.Logger, level slog.Level, msg string, interval time.Duration) *Summary {
	if interval <= 0 {
		interval = DefaultInterval
	}
	return &Summary{log: log, level: level, msg: msg, interval: interval}
}

// Event records one event, described by args (slog's key-value pairs):
// logged at once if the interval since the last line has passed, else
// counted and summarised at the end of the interval.
func (s *Summary) Event(args ...any) {
	if !s.log.Enabled(context.Background(), s.level) {
		return
	}
	now := time.Now()
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return
	}
	if now.After(s.next) && s.count == 0 {
		s.next = now.Add(s.interval)
		s.mu.Unlock()
		s.log.Log(context.Background(), s.level, s.msg, args...)
		return
	}
	if s.count == 0 {
		s.example = args
		if s.timer == nil {
			s.timer = time.AfterFunc(time.Until(s.next), s.flush)
		} else {
			s.timer.Reset(time.Until(s.next))
		}
	}
	s.count++
	s.mu.Unlock()
}

// flush writes the line for the events counted in the interval that ended.
func (s *Summary) flush() {
	s.mu.Lock()
	n, example := s.count, s.example
	s.count, s.example = 0, nil
	if n > 0 {
		s.next = time.Now().Add(s.interval)
	}
	stopped := s.stopped
	s.mu.Unlock()
	if n == 0 || stopped {
		return
	}
	s.log.Log(context.Background(), s.level, s.msg, "count", n, "within", s.interval, slog.Group("example", example...))
}

// Stop writes what is counted and stops the timer.
func (s *Summary) Stop() {
	s.flush()
	s.mu.Lock()
	s.stopped = true
	if s.timer != nil {
		s.timer.Stop()
	}
	s.mu.Unlock()
}
