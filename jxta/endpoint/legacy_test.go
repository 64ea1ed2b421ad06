package endpoint

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeJXSE is a hand-driven legacy peer speaking as JXSE 2.6 does: its
// welcome line, then message packages in the clear, addressed with the
// group-qualified form; it listens for the connection the other side
// opens to send to it.
type fakeJXSE struct {
	id     jxta.PeerID
	l      net.Listener
	public string
}

func newFakeJXSE(t *testing.T) *fakeJXSE {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return &fakeJXSE{id: jxta.NewPeerID(jxta.NetGroupID), l: l, public: "tcp://" + l.Addr().String()}
}

// welcome is its welcome line: no gojxta token.
func (f *fakeJXSE) welcome(dest string) []byte {
	w := framing.Welcome{Dest: dest, Public: f.public, PeerID: f.id, Version: framing.WelcomeVersion11}
	return w.AppendLine(nil)
}

// message encodes a package with the given elements and JXSE's addresses.
func (f *fakeJXSE) message(dst string, els ...jxta.Element) []byte {
	m := jxta.NewMessage(els...)
	m.AddString(jxta.NamespaceJXTA, SourceAddressElement, "jxta://"+strings.TrimPrefix(f.id.String(), "urn:jxta:"))
	m.AddString(jxta.NamespaceJXTA, DestinationAddressElement, dst)
	return framing.AppendPackage(nil, jxta.TypeMessage, jxta.EncodeBinary(m))
}

func TestLegacyPeerInLegacyMode(t *testing.T) {
	server := newPeer(t, networks()[0], "server", func(c *Config) { c.Legacy = true })
	ch := collect(server.Endpoint, "ping", "p1")
	jxse := newFakeJXSE(t)
	addr := server.Addresses()[0].Host

	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	br := bufio.NewReader(c)
	_, err = c.Write(jxse.welcome("tcp://" + addr))
	require.NoError(t, err)
	theirs, err := framing.ReadWelcome(br)
	require.NoError(t, err)
	assert.Equal(t, server.ID(), theirs.PeerID)

	// A direct message, and one routed through EndpointRouter, both
	// group-qualified.
	direct := jxse.message("tcp://"+addr+"/EndpointService:jxta-NetGroup/ping/p1", jxta.Element{Namespace: "", Name: "n", Data: []byte("direct")})
	erm := `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE jxta:ERM>
<jxta:ERM xmlns:jxta="http://jxta.org" xml:space="preserve"><Src>jxta://x</Src><Dest>jxta://` + strings.TrimPrefix(server.ID().String(), "urn:jxta:") + `/EndpointService:jxta-NetGroup/ping/p1</Dest><Last>jxta://x</Last><Fwd/><Rvs/></jxta:ERM>`
	routed := jxse.message("tcp://"+addr+"/EndpointService:jxta-NetGroup/EndpointRouter",
		jxta.Element{Namespace: "", Name: "n", Data: []byte("routed")},
		jxta.Element{Namespace: jxta.NamespaceJXTA, Name: routerElement, Type: "text/xml;charset=UTF-8", Data: []byte(erm)})
	_, err = c.Write(append(direct, routed...))
	require.NoError(t, err)
	for _, want := range []string{"direct", "routed"} {
		in := recv(t, ch)
		assert.Equal(t, jxse.id, in.Peer)
		text, _ := in.Message.String("", "n")
		assert.Equal(t, want, text)
		_, hasERM := in.Message.Get(jxta.NamespaceJXTA, routerElement)
		assert.False(t, hasERM, "the router envelope is unwrapped")
	}
	assert.True(t, server.IsLegacy(jxse.id))
	assert.False(t, server.Verified(jxse.id), "a legacy peer is never verified")
	assert.False(t, server.Connected(jxse.id), "its own connection is only read")

	// Sending to it dials its public address, as JXSE expects, and
	// qualifies the destination.
	accepted := make(chan net.Conn, 1)
	go func() {
		s, err := jxse.l.Accept()
		if err == nil {
			_, _ = s.Write(jxse.welcome("tcp://" + s.LocalAddr().String()))
			accepted <- s
		}
	}()
	msg := jxta.NewMessage()
	msg.AddString("", "n", "back")
	require.NoError(t, server.SendTo(ctxT(t, 5*time.Second), jxse.id, "svc", "param", msg))
	var s net.Conn
	select {
	case s = <-accepted:
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not dial the legacy peer")
	}
	defer s.Close()
	sbr := bufio.NewReader(s)
	w, err := framing.ReadWelcome(sbr)
	require.NoError(t, err)
	assert.Equal(t, server.ID(), w.PeerID)
	ct, body, err := framing.NewReader(sbr, 0).ReadPackage()
	require.NoError(t, err)
	assert.Equal(t, jxta.TypeMessage, ct)
	got, err := jxta.DecodeBinary(body, jxta.MessageLimits{})
	require.NoError(t, err)
	dst, _ := got.String(jxta.NamespaceJXTA, DestinationAddressElement)
	assert.Equal(t, "jxta://"+strings.TrimPrefix(jxse.id.String(), "urn:jxta:")+"/EndpointService:jxta-NetGroup/svc/param", dst)
	text, _ := got.String("", "n")
	assert.Equal(t, "back", text)
	assert.True(t, server.Connected(jxse.id))
	assert.False(t, server.Verified(jxse.id))
}

func TestLegacyPeerCannotTakeAVerifiedID(t *testing.T) {
	server := newPeer(t, networks()[0], "server", func(c *Config) { c.Legacy = true })
	good := newPeer(t, networks()[0], "good")
	_, err := good.Connect(ctxT(t, 5*time.Second), server.Addresses()[0])
	require.NoError(t, err)
	require.Eventually(t, func() bool { return server.Verified(good.ID()) }, 5*time.Second, 5*time.Millisecond)

	// An impostor says it is good, in legacy framing.
	addr := server.Addresses()[0].Host
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	w := framing.Welcome{Dest: "tcp://" + addr, Public: "tcp://127.0.0.1:1", PeerID: good.ID(), Version: framing.WelcomeVersion11}
	_, err = c.Write(w.AppendLine(nil))
	require.NoError(t, err)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(c)
	_, _ = framing.ReadWelcome(br)
	_, err = br.ReadByte()
	assert.Error(t, err, "the connection is closed")
	assert.False(t, server.IsLegacy(good.ID()))
	assert.True(t, server.Verified(good.ID()))
	// The refusal is logged after the connection is closed.
	assert.Eventually(t, func() bool { return strings.Contains(server.log.String(), "a peer that proved its key") },
		5*time.Second, 5*time.Millisecond, server.log.String())
}

func TestLegacyAddresses(t *testing.T) {
	a, err := parseLegacyAddress([]byte("tcp://127.0.0.1:9711/EndpointService:jxta-NetGroup/urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605/jxta-NetGroup"))
	require.NoError(t, err)
	assert.Equal(t, "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605", a.Service)
	assert.Equal(t, "jxta-NetGroup", a.Param)
	a, err = parseLegacyAddress([]byte("jxta://uuid-59/svc/p/q"))
	require.NoError(t, err)
	assert.Equal(t, "svc", a.Service, "an unqualified address is read as it is")
	assert.Equal(t, "p/q", a.Param)
	assert.Equal(t, "jxta://uuid-59/EndpointService:jxta-NetGroup/svc/p", string(legacyDestination([]byte("jxta://uuid-59/svc/p"))))
}
