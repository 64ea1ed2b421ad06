package xfer

import (
	"context"
	"time"
)

// pacer keeps what goes through it under a rate, in bytes per second, by
// waiting after each write until the average since the first write is
// back under the rate.
type pacer struct {
	ctx   context.Context
	rate  int64
	start time.Time
	sent  int64
}

// newPacer returns a pacer of rate bytes per second, or nil for no limit.
func newPacer(ctx context.Context, rate int64) *pacer {
	if rate <= 0 {
		return nil
	}
	return &pacer{ctx: ctx, rate: rate, start: time.Now()}
}

// chunk returns how much to write at once: a tenth of a second's worth,
// at most copyBufferSize.
func (p *pacer) chunk() int {
	if p == nil {
		return copyBufferSize
	}
	return int(min(max(p.rate/10, 1024), copyBufferSize))
}

// wait counts n bytes written and waits until they are within the rate,
// or ctx ends.
func (p *pacer) wait(n int) error {
	if p == nil {
		return nil
	}
	p.sent += int64(n)
	due := p.start.Add(time.Duration(float64(p.sent) / float64(p.rate) * float64(time.Second)))
	d := time.Until(due)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-p.ctx.Done():
		return p.ctx.Err()
	}
}
