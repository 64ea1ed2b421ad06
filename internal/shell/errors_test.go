package shell_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goTypeName matches what a Go type name looks like in a message:
// advert.PeerAdv, *pipe.Conn, []uint8.
var goTypeName = regexp.MustCompile(`\b[a-z]+\.[A-Z]\w*|\*[a-z]+\.|\[\][a-z]`)

// TestUserErrors runs commands on the wrong kind of object and on a peer
// nobody knows, and checks that each error is one line in the user's
// words: the command's name once, no Go type name, no internal service
// address.
func TestUserErrors(t *testing.T) {
	t.Parallel()
	tn := testNetwork{name: "mem", mem: endpoint.NewMemNetwork()}
	s, _ := peerSession(t, tn.config("alice"))
	stranger := jxta.NewPeerID(jxta.NetGroupID)
	s.sh.Env.Set("peer0", "peer advertisement", &advert.PeerAdv{PeerID: stranger, Name: "stranger"})
	s.sh.Env.Set("p", "pipe advertisement", advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "p"))
	s.sh.Env.Set("t", "text", "hello")
	s.sh.Env.Set("b", "bytes", []byte{1, 2})
	s.sh.Env.Set("m", "message", jxta.NewMessage())

	tests := []struct {
		line string
		want string // the whole error line
	}{
		{"join -d peer0", "join: peer0 holds a peer advertisement, not a peer group advertisement"},
		{"join -d m", "join: m holds a message, not a peer group advertisement"},
		{"peerinfo -p " + stranger.String(), "peerinfo: peer " + stranger.String() + ": no known address (not found by discovery, and not connected)"},
		{"peerinfo -p peer0", "peerinfo: peer " + stranger.String() + ": no known address (not found by discovery, and not connected)"},
		{"peerinfo peer0", "peerinfo: peer " + stranger.String() + ": no known address (not found by discovery, and not connected)"},
		{"join peer0", "join: peer0 holds a peer advertisement, not a peer group advertisement"},
		{"publish t", "publish: t holds text, not an advertisement"},
		{"info -d t", "info: t holds text, not an advertisement"},
		{"ping -c 1 peer0", "ping: peer " + stranger.String() + ": no known address (not found by discovery, and not connected)"},
		{"peerinfo -p p", "peerinfo: p holds a pipe advertisement, not a peer advertisement"},
		{"mkpipe -i peer0", "mkpipe: peer0 holds a peer advertisement, not a pipe advertisement"},
		{"mkpipe -i t", "mkpipe: t holds text, not an advertisement"},
		{"send p m", "send: p holds a pipe advertisement, not an output pipe or connection (mkpipe -o, listen, dial)"},
		{"recv m", "recv: m holds a message, not an input pipe or connection (mkpipe -i, listen, dial)"},
		{"put p x y", "put: p holds a pipe advertisement, not a message (mkmsg makes one)"},
		{"put m x m", "put: m holds a message, which cannot go in a message"},
		{"get b x", "get: b holds binary data, not a message (mkmsg makes one)"},
		{"newmodulespec -n x peer0", "newmodulespec: peer0 holds a peer advertisement, not a module class advertisement"},
	}
	for _, tt := range tests {
		s.fail(t, tt.line, 1)
		errs := s.errLines()
		require.Len(t, errs, 1, tt.line)
		assert.Equal(t, tt.want, errs[0], tt.line)
		checkUserError(t, tt.line, errs[0])
	}

	s.fail(t, "validate m", 1)
	assert.Equal(t, "FAIL m: m holds a message, not an advertisement\n", s.out.String())
	assert.Equal(t, "m = \"message\" [message]\n", grepLine(s.run(t, "env"), "m = "))
}

// checkUserError checks that line, the error of the command line cmd,
// names the command once and shows no Go type and no service address.
func checkUserError(t *testing.T, cmd, line string) {
	t.Helper()
	name, _, _ := strings.Cut(cmd, " ")
	assert.True(t, strings.HasPrefix(line, name+": "), line)
	assert.NotContains(t, line, name+": "+name+":", "command named twice")
	assert.NotRegexp(t, goTypeName, line, "Go type name")
	assert.NotContains(t, line, "jxta://", "internal service address")
}

// grepLine returns the line of text that starts with prefix, newline
// included, or "".
func grepLine(text, prefix string) string {
	for _, l := range strings.SplitAfter(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
