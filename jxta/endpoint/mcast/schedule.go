package mcast

import "time"

// schedule decides when a beacon announces itself. It holds no clock and
// draws no random numbers: the caller passes the time and, where jitter
// is wanted, a random fraction in [0, 1).
//
// A beacon sends a hello when it starts, then an announcement every
// interval, give or take a tenth. A hello it hears from another peer is
// answered with an announcement after a random delay of up to spread, so
// that the peers hearing it do not all answer at once, and never sooner
// than gap after the beacon's previous announcement (its own hello aside),
// so that a peer answers at most once per gap however many hellos arrive.
// Any announcement sent answers the hellos heard before it and restarts
// the interval.
type schedule struct {
	interval time.Duration
	spread   time.Duration
	gap      time.Duration

	helloDue   bool      // no hello has been sent yet
	periodicAt time.Time // when the next periodic announcement is due
	replyAt    time.Time // when the pending answer is due; zero when none
	heardAt    time.Time // when the first hello the pending answer is for was heard
	lastSent   time.Time // of the last announcement other than a hello; zero before
}

// Bounds of the answer delays derived from the interval.
const (
	maxSpread = time.Second
	maxGap    = 5 * time.Second
)

// newSchedule returns the schedule of a beacon starting at now: its hello
// is due at once.
func newSchedule(interval time.Duration, now time.Time) schedule {
	return schedule{
		interval:   interval,
		spread:     min(interval/20, maxSpread),
		gap:        min(interval/6, maxGap),
		helloDue:   true,
		periodicAt: now,
	}
}

// next returns when something is due next.
func (s *schedule) next() time.Time {
	if !s.replyAt.IsZero() && s.replyAt.Before(s.periodicAt) {
		return s.replyAt
	}
	return s.periodicAt
}

// due reports whether an announcement is due at now, and of which kind:
// a hello until one has been sent, then plain announcements.
func (s *schedule) due(now time.Time) (kind, bool) {
	if now.Before(s.next()) {
		return kindAnnounce, false
	}
	if s.helloDue {
		return kindHello, true
	}
	return kindAnnounce, true
}

// sent records an attempt at sending an announcement of kind k that began
// at now (delivered false when the send failed) and schedules the next
// periodic one; jitter in [0, 1) places it within a tenth of the interval
// either side. The announcement answers the hellos heard before it began:
// an answer pending for a hello heard while it was being written stays
// due. A failed send is not retried before the interval: a pending
// answer is dropped, and a hello that could not be sent stays due, as the
// next announcement.
func (s *schedule) sent(now time.Time, k kind, delivered bool, jitter float64) {
	s.periodicAt = now.Add(time.Duration(float64(s.interval) * (0.9 + 0.2*jitter)))
	if !delivered || !s.heardAt.After(now) {
		s.replyAt = time.Time{}
	}
	if !delivered {
		return
	}
	if k == kindHello {
		s.helloDue = false
	} else {
		s.lastSent = now
	}
}

// heardHello records a hello from another peer at now and schedules the
// answer, unless one is pending already; delay in [0, 1) places it within
// the spread.
func (s *schedule) heardHello(now time.Time, delay float64) {
	if !s.replyAt.IsZero() {
		return
	}
	at := now.Add(time.Duration(float64(s.spread) * delay))
	if !s.lastSent.IsZero() {
		if earliest := s.lastSent.Add(s.gap); earliest.After(at) {
			at = earliest
		}
	}
	s.replyAt, s.heardAt = at, now
}
