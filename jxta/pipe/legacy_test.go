package pipe_test

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLegacyPeerGetsNoSecurePipe: a legacy JXTA peer (a hand-written JXSE
// 2.6 client: welcome line, then message packages in the clear) sends
// unicast pipe messages in JXSE's form (PipeService/<pipe ID>) to a plain
// pipe and to a secure one: the plain pipe gets it, the secure one drops
// it.
func TestLegacyPeerGetsNoSecurePipe(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n, err := node.Start(ctx, node.Config{Name: "n", Listen: []string{"tcp://127.0.0.1:0"}, Legacy: true})
	require.NoError(t, err)
	defer n.Close()
	plainAdv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "plain")
	secureAdv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicastSecure, "secure")
	plain, err := pipes(n).Bind(plainAdv)
	require.NoError(t, err)
	defer plain.Close()
	secure, err := pipes(n).Bind(secureAdv)
	require.NoError(t, err)
	defer secure.Close()

	addr := n.Addresses()[0].Host
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	jxse := jxta.NewPeerID(jxta.NetGroupID)
	w := framing.Welcome{Dest: "tcp://" + addr, Public: "tcp://127.0.0.1:1", PeerID: jxse, Version: framing.WelcomeVersion11}
	_, err = c.Write(w.AppendLine(nil))
	require.NoError(t, err)
	_, err = framing.ReadWelcome(bufio.NewReader(c))
	require.NoError(t, err)
	send := func(id jxta.PipeID, text string) {
		m := jxta.NewMessage()
		m.AddString("", "jxse", text)
		m.AddString(jxta.NamespaceJXTA, endpoint.SourceAddressElement, "jxta://"+strings.TrimPrefix(jxse.String(), "urn:jxta:"))
		m.AddString(jxta.NamespaceJXTA, endpoint.DestinationAddressElement, "tcp://"+addr+"/EndpointService:jxta-NetGroup/PipeService/"+id.String())
		_, err := c.Write(framing.AppendPackage(nil, jxta.TypeMessage, jxta.EncodeBinary(m)))
		require.NoError(t, err)
	}
	send(secureAdv.PipeID, "to the secure pipe")
	send(plainAdv.PipeID, "to the plain pipe")

	got, err := plain.Recv(ctxT(t, 5*time.Second))
	require.NoError(t, err)
	text, _ := got.Message.String("", "jxse")
	assert.Equal(t, "to the plain pipe", text)
	assert.Equal(t, jxse, got.Peer)
	rctx, rcancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer rcancel()
	_, err = secure.Recv(rctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the secure pipe drops what the legacy peer sent, sent before the plain one")
}
