package shell

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTalkMessageElements(t *testing.T) {
	t.Parallel()
	m := newTalkMessage("alice", "NetPeerGroup", "Hello Bob!")
	for name, want := range map[string]string{
		"JxtaTalkSenderName":    "alice",
		"JxtaTalkSenderMessage": "Hello Bob!",
		"GrpName":               "NetPeerGroup",
	} {
		el, ok := m.Get("", name)
		require.True(t, ok, name)
		assert.Equal(t, want, el.Text(), name)
		assert.Equal(t, jxta.TypeText, el.MIMEType(), name)
	}
	lines, err := talkLines(m, "bob")
	require.NoError(t, err)
	assert.Equal(t, []string{"alice to bob> Hello Bob!"}, lines)
}

func TestTalkLines(t *testing.T) {
	t.Parallel()
	msg := func(sender, text string) *jxta.Message {
		m := jxta.NewMessage()
		m.AddString("", "JxtaTalkSenderName", sender)
		m.AddString("", "JxtaTalkSenderMessage", text)
		return m
	}
	tests := []struct {
		name   string
		m      *jxta.Message
		want   []string
		wantOK bool
	}{
		{name: "one line", m: msg("alice", "hi"), want: []string{"alice to bob> hi"}, wantOK: true},
		{name: "lines", m: msg("alice", "one\r\ntwo\n"), want: []string{"alice to bob> one", "alice to bob> two"}, wantOK: true},
		{name: "empty text", m: msg("alice", ""), want: []string{"alice to bob> "}, wantOK: true},
		{name: "no sender name", m: msg("", "hi"), want: []string{"anonymous to bob> hi"}, wantOK: true},
		{name: "terminal escapes", m: msg("ev\x1b[2Jil", "a\x1b]0;pwned\x07b\tc"), want: []string{"ev\uFFFD[2Jil to bob> a\uFFFD]0;pwned\uFFFDb c"}, wantOK: true},
		{name: "bidi and separators", m: msg("al\u202Eice", "x\u2028y"), want: []string{"al\uFFFDice to bob> x\uFFFDy"}, wantOK: true},
		{name: "invalid UTF-8", m: msg("a\xffb", "\xc3"), want: []string{"a\uFFFDb to bob> \uFFFD"}, wantOK: true},
		{name: "no sender", m: jxta.NewMessage(jxta.Element{Name: "JxtaTalkSenderMessage", Data: []byte("hi")})},
		{name: "no text", m: jxta.NewMessage(jxta.Element{Name: "JxtaTalkSenderName", Data: []byte("alice")})},
		{name: "other namespace", m: jxta.NewMessage(
			jxta.Element{Namespace: "jxta", Name: "JxtaTalkSenderName", Data: []byte("alice")},
			jxta.Element{Namespace: "jxta", Name: "JxtaTalkSenderMessage", Data: []byte("hi")})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := talkLines(tt.m, "bob")
			if !tt.wantOK {
				assert.ErrorIs(t, err, errNotTalk)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestTalkLinesAreBounded(t *testing.T) {
	t.Parallel()
	m := newTalkMessage(strings.Repeat("é", 100), "g", strings.Repeat("line\n", 100))
	lines, err := talkLines(m, "bob")
	require.NoError(t, err)
	require.Len(t, lines, maxTalkLines+1)
	prefix := strings.Repeat("é", maxTalkName/2) + " to bob> "
	assert.Equal(t, prefix+"line", lines[0])
	assert.Equal(t, prefix+"[80 more lines not shown]", lines[maxTalkLines])

	m = newTalkMessage("alice", "g", strings.Repeat("x", maxTalkText+10))
	lines, err = talkLines(m, "bob")
	require.NoError(t, err)
	require.Len(t, lines, 2)
	assert.Len(t, lines[0], len("alice to bob> ")+maxTalkText)
	assert.Equal(t, "alice to bob> [10 more bytes not shown]", lines[1])
}

func TestClipBytesKeepsRunesWhole(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "ab", string(clipBytes([]byte("abc"), 2)))
	assert.Equal(t, "a", string(clipBytes([]byte("aé"), 2)), "é is two bytes")
	assert.Equal(t, "", string(clipBytes([]byte("€"), 2)))
	assert.Equal(t, "€", string(clipBytes([]byte("€"), 3)))
	assert.Equal(t, "\x80\x80\x80\x80", string(clipBytes([]byte("\x80\x80\x80\x80\x80"), 4)), "no rune start: a plain cut")
}

func TestCheckTalkUser(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"alice", "bob.smith", "élodie", "x"} {
		assert.NoError(t, checkTalkUser(ok), ok)
	}
	for _, bad := range []string{"", "al ice", "al*", "*", "a\x1b", strings.Repeat("a", maxTalkUser+1)} {
		err := checkTalkUser(bad)
		var ue *UsageError
		assert.ErrorAs(t, err, &ue, "%q", bad)
	}
}

// FuzzTalkLines feeds talkLines messages decoded from arbitrary bytes, as
// a listener gets them from the network: it must not panic, and what it
// prints must be bounded single lines without control characters.
func FuzzTalkLines(f *testing.F) {
	f.Add(jxta.EncodeBinary(newTalkMessage("alice", "NetPeerGroup", "Hello Bob!")))
	f.Add(jxta.EncodeBinary(newTalkMessage("ev\x1bil", "g", "one\ntwo\r\n\x00three")))
	f.Add(jxta.EncodeBinary(newTalkMessage("\xff\xfe", "", strings.Repeat("\n", 30))))
	f.Add(jxta.EncodeBinary(jxta.NewMessage()))
	f.Add([]byte("jxmg"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := jxta.DecodeBinary(data, jxta.MessageLimits{})
		if err != nil {
			return
		}
		lines, err := talkLines(m, "bob")
		if err != nil {
			return
		}
		require.NotEmpty(t, lines)
		require.LessOrEqual(t, len(lines), maxTalkLines+2)
		for _, line := range lines {
			require.True(t, utf8.ValidString(line), "%q", line)
			require.Contains(t, line, " to bob> ")
			require.LessOrEqual(t, len(line), 3*(maxTalkName+maxTalkText)+64, "a bounded line")
			for _, r := range line {
				require.False(t, unicode.IsControl(r), "control character in %q", line)
			}
		}
	})
}
