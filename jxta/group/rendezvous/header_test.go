package rendezvous

import (
	"strings"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHeaderRules(t *testing.T) {
	self, a, b := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	h := newHeader(a, "svc", "p", 1000, 7)
	assert.Equal(t, 7, h.TTL, "clamped to MaxTTL")
	assert.Equal(t, []jxta.PeerID{a}, h.Path)
	assert.Len(t, h.MessageID, 36)
	assert.Equal(t, 1, newHeader(a, "svc", "", -3, 7).TTL, "at least 1")

	hdr := func(ttl int, path ...jxta.PeerID) *protocol.RendezVousPropagateMessage {
		return &protocol.RendezVousPropagateMessage{MessageID: "m", DestSName: "svc", TTL: ttl, Path: path}
	}
	assert.NoError(t, checkHeader(hdr(3, a, b), self, 7))
	assert.ErrorIs(t, checkHeader(hdr(0, a), self, 7), errSpent)
	assert.ErrorIs(t, checkHeader(hdr(3, a, self), self, 7), errLoop)
	assert.ErrorIs(t, checkHeader(hdr(3, a, b, a), self, 2), errPathTooLong)

	next, ok := nextHeader(hdr(3, a), self, 7)
	require.True(t, ok)
	assert.Equal(t, 2, next.TTL)
	assert.Equal(t, []jxta.PeerID{a, self}, next.Path)
	next, ok = nextHeader(hdr(1_000_000, a), self, 7)
	require.True(t, ok)
	assert.Equal(t, 6, next.TTL, "a forged TTL is clamped")
	_, ok = nextHeader(hdr(1, a), self, 7)
	assert.False(t, ok, "the last hop")
}

func TestParseHeader(t *testing.T) {
	const name = "RendezVousPropagatex"
	_, err := parseHeader(jxta.NewMessage(), name)
	assert.ErrorIs(t, err, errNoHeader)
	for _, doc := range []string{"<garbage", "<jxta:PA/>", strings.Repeat("x", maxHeaderSize+1)} {
		m := jxta.NewMessage()
		m.AddXML(jxta.NamespaceJXTA, name, []byte(doc))
		_, err := parseHeader(m, name)
		assert.ErrorIs(t, err, errBadHeader, doc[:min(len(doc), 20)])
	}
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, name, []byte(header("id", 3, jxta.NewPeerID(jxta.NetGroupID))))
	h, err := parseHeader(m, name)
	require.NoError(t, err)
	assert.Equal(t, "id", h.MessageID)
}
