package framing

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	peerURN  = "urn:jxta:uuid-59616261646162614A7874615032503345A8391EC0914B24B264AF31F297A6FD03"
	groupURN = "urn:jxta:uuid-59616261646162614A78746150325033" + "02"
)

func peerID(t testing.TB) jxta.PeerID {
	t.Helper()
	id, err := jxta.Parse(peerURN)
	require.NoError(t, err)
	p, err := jxta.AsPeerID(id)
	require.NoError(t, err)
	return p
}

func TestParseWelcome(t *testing.T) {
	t.Parallel()
	pid := peerID(t)
	tests := []struct {
		name, line string
		want       Welcome
	}{
		{"spec example", "JXTAHELLO tcp://69.3.88.186:34368 tcp://209.25.154.236:9701 " + peerURN + " 1 1.1",
			Welcome{Dest: "tcp://69.3.88.186:34368", Public: "tcp://209.25.154.236:9701", PeerID: pid, NoPropagate: true, Version: "1.1"}},
		{"gojxta", "JXTAHELLO tcp://a:1 tcp://b:2 " + peerURN + " 0 1.1 gojxta/2",
			Welcome{Dest: "tcp://a:1", Public: "tcp://b:2", PeerID: pid, Version: "1.1", Extra: []string{GoJXTAVersion}}},
		{"version 3.0", "JXTAHELLO tcp://a:1 tcp://b:2 " + peerURN + " 0 1 3.0",
			Welcome{Dest: "tcp://a:1", Public: "tcp://b:2", PeerID: pid, Version: "3.0", Extra: []string{"1"}}},
		{"five tokens", "JXTAHELLO tcp://a:1 tcp://b:2 " + peerURN + " 0",
			Welcome{Dest: "tcp://a:1", Public: "tcp://b:2", PeerID: pid}},
		{"unknown version, odd flag", "JXTAHELLO a b " + peerURN + " x 9.9 more",
			Welcome{Dest: "a", Public: "b", PeerID: pid, Version: "9.9", Extra: []string{"more"}}},
		{"lower-case ID, tabs, CR LF", "JXTAHELLO\ta  b " + strings.ToLower(peerURN) + " 0 1.1\r\n",
			Welcome{Dest: "a", Public: "b", PeerID: pid, Version: "1.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ParseWelcome(tt.line)
			require.NoError(t, err)
			assert.Equal(t, tt.want, w)
			again, err := ParseWelcome(string(w.AppendLine(nil)))
			require.NoError(t, err)
			assert.Equal(t, w, again)
		})
	}
}

func TestWelcomeLine(t *testing.T) {
	t.Parallel()
	pid := peerID(t)
	w := NewWelcome("tcp://10.0.0.1:9701", "tcp://10.0.0.2:9701", pid)
	line := string(w.AppendLine(nil))
	assert.Equal(t, "JXTAHELLO tcp://10.0.0.1:9701 tcp://10.0.0.2:9701 "+peerURN+" 0 1.1 gojxta/2\r\n", line)
	assert.True(t, w.IsGoJXTA())
	assert.Equal(t, 0, w.PreferredMessageVersion())
	assert.Equal(t, strings.TrimSuffix(line, "\r\n"), w.String())

	v3 := Welcome{Dest: "a", Public: "b", PeerID: pid, NoPropagate: true, Version: "3.0", Extra: []string{"1"}}
	assert.Equal(t, "JXTAHELLO a b "+peerURN+" 1 1 3.0", v3.String())
	assert.Equal(t, 1, v3.PreferredMessageVersion())
	assert.False(t, v3.IsGoJXTA())
}

func TestParseWelcomeRejects(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, line, msg string }{
		{"HTTP", "GET / HTTP/1.1", `framing: not a JXTA welcome line: "GET / HTTP/1.1"`},
		{"empty", "", `framing: not a JXTA welcome line: ""`},
		{"lower-case greeting", "jxtahello a b " + peerURN + " 0 1.1", "not a JXTA welcome line"},
		{"too few tokens", "JXTAHELLO a b " + peerURN, "welcome line has 4 tokens, want at least 5"},
		{"not an ID", "JXTAHELLO a b peer 0 1.1", `welcome line peer ID "peer"`},
		{"group ID", "JXTAHELLO a b " + groupURN + " 0 1.1", "welcome line peer ID"},
		{"bad flag for 1.1", "JXTAHELLO a b " + peerURN + " yes 1.1", `propagation flag "yes", want 0 or 1`},
		{"long garbage is quoted short", strings.Repeat("x", 500), `"...`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseWelcome(tt.line)
			assert.ErrorIs(t, err, ErrBadWelcome)
			assert.ErrorContains(t, err, tt.msg)
			assert.Less(t, len(err.Error()), 160)
		})
	}
}

func TestReadWelcome(t *testing.T) {
	t.Parallel()
	good := "JXTAHELLO a b " + peerURN + " 0 1.1"
	pad := func(total int) string { // a valid line of total bytes, CR LF included
		return good + " " + strings.Repeat("x", total-len(good)-3) + "\r\n"
	}
	tests := []struct {
		name, in string
		err      error
		msg      string
		rest     string // what remains unread after a good line
	}{
		{"good, bytes follow", good + "\r\n\x0epackage", nil, "", "\x0epackage"},
		{"bare LF kept as white space", "JXTAHELLO a b " + peerURN + " 0\n1.1\r\n", nil, "", ""},
		{"CR CR LF", good + "\r\r\n", nil, "", ""},
		{"exactly 4096 bytes", pad(MaxWelcomeLen), nil, "", ""},
		{"4097 bytes", pad(MaxWelcomeLen + 1), ErrTooLarge, "framing: welcome line longer than 4096 bytes", ""},
		{"garbage without CR LF", strings.Repeat("\x00\xff", 3000), ErrBadWelcome, "not a JXTA welcome line", ""},
		{"HTTP request", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", ErrBadWelcome, `framing: not a JXTA welcome line: "GET / HTTP/1.1"`, ""},
		{"LF only", good + "\n", io.ErrUnexpectedEOF, "", ""},
		{"cut short", good[:20], io.ErrUnexpectedEOF, "", ""},
		{"nothing", "", io.EOF, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			br := bufio.NewReader(strings.NewReader(tt.in))
			w, err := ReadWelcome(br)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				if strings.HasPrefix(tt.msg, "framing:") {
					assert.EqualError(t, err, tt.msg)
				} else {
					assert.ErrorContains(t, err, tt.msg)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, peerID(t), w.PeerID)
			rest, _ := io.ReadAll(br)
			assert.Equal(t, tt.rest, string(rest))
		})
	}
}
