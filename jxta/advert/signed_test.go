package advert

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignedAdv(t *testing.T) {
	alice, err := identity.New()
	require.NoError(t, err)
	pipe := NewPipeAdv(jxta.NetGroupID, PipeUnicast, "signed-chat")
	sa := Sign(pipe, alice)
	require.NoError(t, sa.Verify())
	data := Marshal(sa)
	assert.Contains(t, string(data), `<Credential type="jxta:Ed25519Cred"><PeerID>`+alice.PeerID().String()+`</PeerID>`)
	assert.Contains(t, string(data), `<Advertisement type="jxta:PipeAdvertisement">`)

	back, err := ParseAs[*SignedAdv](data)
	require.NoError(t, err)
	assert.Equal(t, alice.PeerID(), back.Publisher)
	assert.Equal(t, Marshal(pipe), back.Data, "the exact bytes signed")
	got, ok := back.Adv.(*PipeAdv)
	require.True(t, ok)
	assert.Equal(t, pipe.PipeID, got.PipeID)
	assert.Equal(t, pipe.PipeID.ID, back.ID())
	assert.Equal(t, pipe.IndexFields(), back.IndexFields())
	indented, err := ParseAs[*SignedAdv](MarshalIndent(sa))
	require.NoError(t, err)
	assert.Equal(t, back.Data, indented.Data)

	mallory, err := identity.New()
	require.NoError(t, err)
	evil := NewPipeAdv(jxta.NetGroupID, PipeUnicast, "evil-replaced")
	evil.PipeID = pipe.PipeID
	b64 := base64.StdEncoding.EncodeToString
	for name, forged := range map[string]*SignedAdv{
		"the data changed":            {Publisher: alice.PeerID(), Key: alice.PublicKey(), Signature: sa.Signature, Data: Marshal(evil), Adv: evil},
		"signed by another key":       {Publisher: alice.PeerID(), Key: alice.PublicKey(), Signature: mallory.Sign(Marshal(evil)), Data: Marshal(evil), Adv: evil},
		"another key for the peer ID": {Publisher: alice.PeerID(), Key: mallory.PublicKey(), Signature: mallory.Sign(Marshal(evil)), Data: Marshal(evil), Adv: evil},
	} {
		assert.ErrorIs(t, forged.Verify(), ErrBadSignature, name)
		_, err := Parse(Marshal(forged))
		assert.ErrorIs(t, err, ErrBadSignature, name)
	}

	for name, doc := range map[string]string{
		"a PSE credential":   strings.Replace(string(data), CredTypeEd25519, "jxta:PSECred", 1),
		"an RSA signature":   strings.Replace(string(data), `algorithm="Ed25519"`, `algorithm="SHA1withRSA"`, 1),
		"no signature":       cut(string(data), "<Signature", "</Signature>"),
		"no advertisement":   cut(string(data), "<Advertisement", "</Advertisement>"),
		"a type that lies":   strings.Replace(string(data), `type="jxta:PipeAdvertisement"`, `type="jxta:PA"`, 1),
		"not base64":         strings.Replace(string(data), b64(sa.Signature), "!!!", 1),
		"a signed SA inside": string(Marshal(Sign(sa, alice))),
	} {
		_, err := Parse([]byte(doc))
		assert.Error(t, err, name)
	}
}

// cut removes s's text from start up to and including end.
func cut(s, start, end string) string {
	i := strings.Index(s, start)
	j := strings.Index(s, end)
	if i < 0 || j < 0 {
		return s
	}
	return s[:i] + s[j+len(end):]
}
