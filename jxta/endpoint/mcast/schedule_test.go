package mcast

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func TestScheduleDerivedDelays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		interval, spread, gap time.Duration
	}{
		{DefaultInterval, time.Second, 5 * time.Second},
		{time.Hour, time.Second, 5 * time.Second},
		{600 * time.Millisecond, 30 * time.Millisecond, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		s := newSchedule(tt.interval, t0)
		assert.Equal(t, tt.spread, s.spread, tt.interval)
		assert.Equal(t, tt.gap, s.gap, tt.interval)
	}
}

func TestScheduleHelloThenPeriodic(t *testing.T) {
	t.Parallel()
	s := newSchedule(10*time.Second, t0)
	k, due := s.due(t0)
	require.True(t, due)
	assert.Equal(t, kindHello, k)

	s.sent(t0, kindHello, true, 0.5)
	assert.Equal(t, t0.Add(10*time.Second), s.next())
	_, due = s.due(t0.Add(9 * time.Second))
	assert.False(t, due)
	k, due = s.due(t0.Add(10 * time.Second))
	require.True(t, due)
	assert.Equal(t, kindAnnounce, k)
}

func TestScheduleJitter(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		jitter float64
		want   time.Duration
	}{{0, 9 * time.Second}, {0.5, 10 * time.Second}, {0.999999, 11 * time.Second}} {
		s := newSchedule(10*time.Second, t0)
		s.sent(t0, kindAnnounce, true, tt.jitter)
		assert.WithinDuration(t, t0.Add(tt.want), s.next(), time.Millisecond, tt.jitter)
	}
}

func TestScheduleFailedHelloStaysDue(t *testing.T) {
	t.Parallel()
	s := newSchedule(10*time.Second, t0)
	s.sent(t0, kindHello, false, 0.5)
	_, due := s.due(t0.Add(time.Second))
	assert.False(t, due, "a failed send is not retried at once")
	k, due := s.due(t0.Add(10 * time.Second))
	require.True(t, due)
	assert.Equal(t, kindHello, k)
}

func TestScheduleAnswersHello(t *testing.T) {
	t.Parallel()
	s := newSchedule(time.Hour, t0)
	s.sent(t0, kindHello, true, 0.5)

	// Our own hello does not hold the answer back.
	heard := t0.Add(100 * time.Millisecond)
	s.heardHello(heard, 0.5)
	assert.Equal(t, heard.Add(500*time.Millisecond), s.next())
	k, due := s.due(s.next())
	require.True(t, due)
	assert.Equal(t, kindAnnounce, k)

	// A second hello while the answer is pending changes nothing.
	s.heardHello(heard.Add(10*time.Millisecond), 0)
	assert.Equal(t, heard.Add(500*time.Millisecond), s.next())

	// The answer restarts the interval and clears what was pending.
	answered := heard.Add(500 * time.Millisecond)
	s.sent(answered, kindAnnounce, true, 0.5)
	assert.Equal(t, answered.Add(time.Hour), s.next())

	// The next answer waits for the gap.
	s.heardHello(answered.Add(time.Second), 0)
	assert.Equal(t, answered.Add(5*time.Second), s.next())
}

// TestScheduleHelloDuringAWrite checks that a hello heard while an
// announcement was being written is still answered: the announcement
// left before the hello's sender could hear it.
func TestScheduleHelloDuringAWrite(t *testing.T) {
	t.Parallel()
	s := newSchedule(time.Hour, t0)
	// The hello is written from t0; another peer's hello is heard at
	// t0+1ms, before the write is recorded.
	heard := t0.Add(time.Millisecond)
	s.heardHello(heard, 0.5)
	s.sent(t0, kindHello, true, 0.5)
	assert.Equal(t, heard.Add(500*time.Millisecond), s.next(), "the answer stays due")
	k, due := s.due(s.next())
	require.True(t, due)
	assert.Equal(t, kindAnnounce, k)
	// An answer written after the hello was heard clears it.
	s.sent(s.next(), kindAnnounce, true, 0.5)
	assert.Equal(t, heard.Add(500*time.Millisecond).Add(time.Hour), s.next())
}

func TestScheduleFailedAnswerDropped(t *testing.T) {
	t.Parallel()
	s := newSchedule(time.Hour, t0)
	s.sent(t0, kindHello, true, 0.5)
	s.heardHello(t0, 0)
	s.sent(t0, kindAnnounce, false, 0.5)
	assert.Equal(t, t0.Add(time.Hour), s.next(), "no retry loop")
}

// TestScheduleHelloFlood checks that a peer hearing a hello every 10 ms
// answers once per gap.
func TestScheduleHelloFlood(t *testing.T) {
	t.Parallel()
	s := newSchedule(DefaultInterval, t0)
	sent := 0
	end := t0.Add(time.Minute)
	for now := t0; now.Before(end); now = now.Add(10 * time.Millisecond) {
		s.heardHello(now, 0.5)
		if k, due := s.due(now); due {
			s.sent(now, k, true, 0.5)
			sent++
		}
	}
	// The hello, then one answer per 5 s gap.
	assert.LessOrEqual(t, sent, 1+12)
	assert.GreaterOrEqual(t, sent, 1+11)
}
