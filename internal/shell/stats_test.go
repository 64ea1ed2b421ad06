package shell_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStats(t *testing.T) {
	t.Parallel()
	nw := networks()[1]
	s, n := peerSession(t, nw.config("bob"))
	alice, an := peerSession(t, nw.config("alice"))

	out := s.run(t, "stats")
	assert.Regexp(t, `(?m)^Connections : 0 open; 0 opened \(0 outbound, 0 inbound\); 0 failed$`, out)
	assert.Regexp(t, `(?m)^Handshakes  : 0 failed$`, out)
	assert.Contains(t, out, "(none yet)")
	assert.Regexp(t, `(?m)^World PeerGroup +\S+ +\d+ +0 +0\n^NetPeerGroup +\S+ +[1-9]\d* +0 +0$`, out)

	got := make(chan struct{}, 10)
	n.Handle("greet", "", endpoint.HandlerFunc(func(*endpoint.Incoming) { got <- struct{}{} }))
	an.Endpoint().AddPeer(n.Endpoint().PeerAdv())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for range 3 {
		m := jxta.NewMessage()
		m.AddString("", "text", "hello")
		require.NoError(t, an.Send(ctx, n.ID(), "greet", "", m))
		<-got
	}

	out = s.run(t, "stats")
	assert.Regexp(t, `(?m)^Connections : 1 open; 1 opened \(0 outbound, 1 inbound\); 0 failed$`, out)
	assert.Regexp(t, `(?m)^Streams     : 0 open; 0 opened \(0 outbound, 0 inbound\)$`, out)
	assert.Regexp(t, `(?m)^Resolver    : \d+ queries sent, \d+ answered, \d+ dropped`, out)
	assert.Regexp(t, `(?m)^Traffic by service +Messages in +Bytes in +Messages out +Bytes out$`, out)
	m := regexp.MustCompile(`(?m)^greet +3 +(\d+) +0 +0 *$`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	sent := regexp.MustCompile(`(?m)^greet +0 +0 +3 +(\d+) *$`).FindStringSubmatch(alice.run(t, "stats"))
	require.NotNil(t, sent, alice.out.String())
	assert.Equal(t, m[1], sent[1], "the bytes alice sent are the bytes bob received")
	assert.NotContains(t, out, "jxta_", "readable, not the exposition format")

	alice.run(t, "peers -r -n 1 -w 5s") // a resolver query to bob, the peer alice is connected to
	out = s.run(t, "stats")
	assert.Regexp(t, `(?m)^resolver +[1-9]\d* +[1-9]\d* +[1-9]\d* +[1-9]\d* *$`, out, "JXTA's services by name")
	assert.NotContains(t, out, "urn:jxta:uuid-DEADBEEF", "not by their class ID")

	s.fail(t, "stats -x", 2)
}
