package shell_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignedDocuments: importfile verifies a signed advertisement and
// says who signed it, cat shows the signer and the document, exportfile
// writes the plain document, and a tampered one is refused.
func TestSignedDocuments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key, err := identity.New()
	require.NoError(t, err)
	pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "signed-demo")
	data := advert.Marshal(advert.Sign(pipe, key))
	path := filepath.Join(dir, "signed.xml")
	require.NoError(t, os.WriteFile(path, data, 0o644))

	s := newSession()
	signer := "signed by " + key.PeerID().String() + " (Ed25519 " + identity.Fingerprint(key.PublicKey()) + "), signature verified: jxta:PipeAdvertisement " + pipe.PipeID.String() + "\n"
	assert.Equal(t, "sa = jxta:SA\n"+signer, s.run(t, "importfile "+q(path)+" sa"))
	assert.Equal(t, signer+string(advert.Marshal(pipe)), s.run(t, "cat sa"))
	out := filepath.Join(dir, "plain.xml")
	s.run(t, "exportfile "+q(out)+" sa")
	written, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, string(advert.Marshal(pipe)), string(written), "the plain document, as JXSE reads it")

	sa := advert.Sign(pipe, key)
	evil := *pipe
	evil.Name = "evil-replaced"
	forged := *sa
	forged.Data, forged.Adv = advert.Marshal(&evil), &evil // the signature is the original's
	tampered := string(advert.Marshal(&forged))
	bad := filepath.Join(dir, "tampered.xml")
	require.NoError(t, os.WriteFile(bad, []byte(tampered), 0o644))
	assert.Contains(t, s.fail(t, "importfile "+q(bad), 1), "bad signature")
}
