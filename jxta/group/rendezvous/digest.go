package rendezvous

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta"
)

// A digest (element PeerView.Digest, ours) lists the entries of a
// rendezvous's peer view, so that its partner sends it only the entries
// it lacks and refreshes the ages of those they share. It is binary: per
// entry, the peer's key (see peerKey) in 8 bytes, big-endian, then the
// entry's age (milliseconds since anyone last heard from the peer) as a
// uvarint.
type digest map[uint64]time.Duration

// maxDigestAge bounds the ages read (about 12 days): older entries left
// every view long before.
const maxDigestAge = (1 << 30) * time.Millisecond

// peerKey returns the first 8 bytes of the SHA-256 of the peer ID's
// text: finding another ID with the same key (to hide a peer from a
// view) takes about 2^64 hashes, and 1000 random IDs share none but with
// a chance of about 1 in 10^13.
func peerKey(id jxta.PeerID) uint64 {
	sum := sha256.Sum256([]byte(id.String()))
	return binary.BigEndian.Uint64(sum[:8])
}

// appendDigestEntry appends an entry's key and age to a digest.
func appendDigestEntry(b []byte, key uint64, age time.Duration) []byte {
	b = binary.BigEndian.AppendUint64(b, key)
	return binary.AppendUvarint(b, uint64(min(max(age, 0), maxDigestAge).Milliseconds()))
}

// parseDigest reads a digest of at most maxView entries.
func parseDigest(b []byte) (digest, error) {
	d := make(digest, min(len(b)/9, maxView))
	for rest, n := b, 0; len(rest) > 0; n++ {
		if n == maxView {
			return nil, fmt.Errorf("digest of more than %d entries", maxView)
		}
		if len(rest) < 9 {
			return nil, errors.New("digest entry cut short")
		}
		key := binary.BigEndian.Uint64(rest)
		ms, size := binary.Uvarint(rest[8:])
		if size <= 0 {
			return nil, errors.New("digest entry with a bad age")
		}
		d[key] = time.Duration(min(ms, uint64(maxDigestAge.Milliseconds()))) * time.Millisecond
		rest = rest[8+size:]
	}
	return d, nil
}
