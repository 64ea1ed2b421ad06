package discovery

import (
	"fmt"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingSigner counts the signatures it makes.
type countingSigner struct {
	*identity.Identity
	signs int
}

func (c *countingSigner) Sign(msg []byte) []byte {
	c.signs++
	return c.Identity.Sign(msg)
}

// TestOwnEntriesAreSignedOnce: answering for the same own advertisement
// again reuses its signed form, which verifies as a fresh one would; a
// changed advertisement is signed anew.
func TestOwnEntriesAreSignedOnce(t *testing.T) {
	id, err := identity.New()
	require.NoError(t, err)
	signer := &countingSigner{Identity: id}
	s := &Service{signer: signer}
	docs := map[string][]byte{} // one advertisement (one pipe ID) per name
	entry := func(name string) cache.Entry {
		if docs[name] == nil {
			docs[name] = advert.Marshal(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, name))
		}
		return cache.Entry{Own: true, Doc: docs[name]}
	}

	first := s.signOwn(entry("chat"))
	again := s.signOwn(entry("chat"))
	assert.Equal(t, first, again)
	assert.Equal(t, 1, signer.signs, "the second answer signed again")
	sa, err := protocol.UnflattenAs[*advert.SignedAdv](again, nil)
	require.NoError(t, err, "the remembered form verifies")
	assert.Equal(t, id.PeerID(), sa.Publisher)
	assert.Equal(t, "chat", sa.Adv.(*advert.PipeAdv).Name)

	other := s.signOwn(entry("news"))
	assert.Equal(t, 2, signer.signs)
	sa, err = protocol.UnflattenAs[*advert.SignedAdv](other, nil)
	require.NoError(t, err)
	assert.Equal(t, "news", sa.Adv.(*advert.PipeAdv).Name)

	// The memo is bounded: past signMemoMax forms it starts afresh.
	for i := range signMemoMax + 10 {
		s.signOwn(entry(fmt.Sprint("pipe-", i)))
	}
	assert.LessOrEqual(t, len(s.ownSigned.m), signMemoMax)
}
