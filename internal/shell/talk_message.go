package shell

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gojxta/gojxta/jxta"
)

// The elements of a talk message, as JXSE's talk command names them: the
// sender's user name, the text, and the name of the sender's group. All
// three are text/plain in the application namespace.
const (
	talkSenderElement  = "JxtaTalkSenderName"
	talkTextElement    = "JxtaTalkSenderMessage"
	talkGroupElement   = "GrpName"
	talkUserNamePrefix = "JxtaTalkUserName." // a registration's pipe name: this and the user name
)

// Bounds on what one incoming message may print, whatever its sender put
// in it.
const (
	maxTalkName  = 64   // bytes of a sender's name shown
	maxTalkText  = 4096 // bytes of a message's text shown
	maxTalkLines = 20   // lines of a message's text shown
)

// errNotTalk is returned for a message that lacks the talk elements.
var errNotTalk = errors.New("not a talk message: no " + talkSenderElement + " or " + talkTextElement + " element")

// newTalkMessage returns the message that carries one line of text from
// sender, a member of the group named group.
func newTalkMessage(sender, group, text string) *jxta.Message {
	m := jxta.NewMessage()
	m.AddString(jxta.NamespaceApp, talkTextElement, text)
	m.AddString(jxta.NamespaceApp, talkSenderElement, sender)
	m.AddString(jxta.NamespaceApp, talkGroupElement, group)
	return m
}

// talkLines returns the lines that show message m, received for user:
// "<sender> to <user>> <text>", one per line of text. What the sender
// wrote is cleaned for a terminal (control characters and invalid UTF-8
// replaced) and cut to bounded sizes; a cut says how much was left out.
// It fails for a message without the talk elements.
func talkLines(m *jxta.Message, user string) ([]string, error) {
	sender, ok := m.Get(jxta.NamespaceApp, talkSenderElement)
	if !ok {
		return nil, errNotTalk
	}
	text, ok := m.Get(jxta.NamespaceApp, talkTextElement)
	if !ok {
		return nil, errNotTalk
	}
	name := printable(clipBytes(sender.Data, maxTalkName))
	if name == "" {
		name = "anonymous"
	}
	prefix := name + " to " + user + "> "
	shown := clipBytes(text.Data, maxTalkText)
	parts := strings.Split(strings.TrimRight(string(shown), "\r\n"), "\n")
	var out []string
	for i, p := range parts {
		if i == maxTalkLines {
			out = append(out, prefix+fmt.Sprintf("[%d more lines not shown]", len(parts)-i))
			break
		}
		out = append(out, prefix+printable([]byte(strings.TrimSuffix(p, "\r"))))
	}
	if cut := len(text.Data) - len(shown); cut > 0 {
		out = append(out, prefix+fmt.Sprintf("[%d more bytes not shown]", cut))
	}
	return out, nil
}

// clipBytes returns at most n bytes of b, not cutting a UTF-8 sequence.
// n must be at least 0.
func clipBytes(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	for cut := n; cut > n-utf8.UTFMax && cut >= 0; cut-- {
		if utf8.RuneStart(b[cut]) {
			return b[:cut]
		}
	}
	return b[:n] // not UTF-8 there: any cut will do
}

// printable returns b as text that is safe to print on one terminal line:
// a tab becomes a space; other control characters, the marks that
// reorder text (bidi controls), line separators and invalid UTF-8 become
// U+FFFD.
func printable(b []byte) string {
	var s strings.Builder
	s.Grow(len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case r == '\t':
			s.WriteByte(' ')
		case r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029':
			s.WriteRune(utf8.RuneError)
		default:
			s.WriteRune(r)
		}
	}
	return s.String()
}
