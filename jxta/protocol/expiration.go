package protocol

import (
	"math"
	"time"
)

// Lifetimes and expirations of advertisements (reference f, JXSE
// DiscoveryService and PeerGroup). The lifetime is how long a peer keeps an
// advertisement in its own cache; the expiration is how long peers that
// receive a copy may keep it.
const (
	// DefaultLifetime is JXSE's DiscoveryService.DEFAULT_LIFETIME and
	// PeerGroup.DEFAULT_LIFETIME: 365 days.
	DefaultLifetime = 365 * 24 * time.Hour
	// DefaultExpiration is JXSE's DiscoveryService.DEFAULT_EXPIRATION: 2
	// hours. It is also what a receiver assumes for a discovery Response
	// without an Expiration attribute, and the life of peer advertisements
	// learnt from queries and pipe answers.
	DefaultExpiration = 2 * time.Hour
	// GroupExpiration is JXSE's PeerGroup.DEFAULT_EXPIRATION: 14 days, used
	// when a group publishes its PGA and module advertisements.
	GroupExpiration = 14 * 24 * time.Hour
	// Forever stands for Java's Long.MAX_VALUE milliseconds
	// (INFINITE_LIFETIME, NO_EXPIRATION): never expires. Any millisecond
	// value too large for a time.Duration reads as Forever, and Forever is
	// written as 9223372036854775807.
	Forever = time.Duration(math.MaxInt64)
)

// foreverMillis is what Forever is written as.
const foreverMillis = math.MaxInt64

// maxMillis is the largest millisecond count a time.Duration holds.
const maxMillis = math.MaxInt64 / int64(time.Millisecond)

// ResponseExpiration returns the expiration to send with an advertisement
// in a discovery response: the smaller of the time the advertisement has
// left in the local cache and the expiration it was published with (JXSE
// sends min(remaining lifetime, expiration)). A result <= 0 means the
// advertisement has expired and is not to be sent; receivers drop it.
func ResponseExpiration(remainingLifetime, expiration time.Duration) time.Duration {
	return min(remainingLifetime, expiration)
}

// millisToDuration converts a count of milliseconds read from a document.
// Counts too large for a time.Duration become Forever; counts too negative
// are clamped to -maxMillis ms, so that writing them back and reading
// again gives the same value.
func millisToDuration(ms int64) time.Duration {
	switch {
	case ms > maxMillis:
		return Forever
	case ms < -maxMillis:
		ms = -maxMillis
	}
	return time.Duration(ms) * time.Millisecond
}

// durationToMillis converts a duration to write; Forever is Java's
// Long.MAX_VALUE.
func durationToMillis(d time.Duration) int64 {
	if d == Forever {
		return foreverMillis
	}
	return d.Milliseconds()
}
