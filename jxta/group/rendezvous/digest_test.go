package rendezvous

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDigest(t *testing.T) {
	a, b := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	assert.Equal(t, peerKey(a), peerKey(a))
	assert.NotEqual(t, peerKey(a), peerKey(b))

	var buf []byte
	buf = appendDigestEntry(buf, peerKey(a), 1500*time.Millisecond)
	buf = appendDigestEntry(buf, peerKey(b), -time.Second)
	d, err := parseDigest(buf)
	require.NoError(t, err)
	assert.Equal(t, digest{peerKey(a): 1500 * time.Millisecond, peerKey(b): 0}, d)

	empty, err := parseDigest(nil)
	require.NoError(t, err)
	assert.NotNil(t, empty, "an empty digest is a digest")

	for name, bad := range map[string][]byte{
		"cut short": buf[:len(buf)-3],
		"bad age":   append(make([]byte, 8), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
	} {
		_, err := parseDigest(bad)
		assert.Error(t, err, name)
	}
	var big []byte
	for range maxView + 1 {
		big = appendDigestEntry(big, 1, 0)
	}
	_, err = parseDigest(big)
	assert.Error(t, err, "too many entries")

	huge := appendDigestEntry(nil, 7, 1000*24*time.Hour)
	d, err = parseDigest(huge)
	require.NoError(t, err)
	assert.Equal(t, maxDigestAge, d[7])
}
