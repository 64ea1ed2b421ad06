package framing

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/gojxta/gojxta/jxta"
)

// MaxWelcomeLen is the longest welcome line, CR LF included.
const MaxWelcomeLen = 4096

// GoJXTAVersion is the token gojxta peers add after the welcome version,
// announcing gojxta's own framing on the connection: TLS 1.3 right after
// the welcome lines, then yamux (see spec/README.md).
const GoJXTAVersion = "gojxta/2"

// GoJXTAPlaintext is the token of gojxta peers from before connections
// were secured: yamux in the clear after the welcome lines. They are
// recognised, to be refused with a clear reason.
const GoJXTAPlaintext = "gojxta/1"

// Welcome versions.
const (
	WelcomeVersion11 = "1.1" // what JXSE and JXTA-C send
	WelcomeVersion30 = "3.0" // carries a preferred message version
)

const welcomeGreeting = "JXTAHELLO"

// Welcome is a welcome line:
//
//	JXTAHELLO <Dest> <Public> <PeerID> <NoPropagate> <Version> <Extra...>
//
// with one exception to the order: a version 3.0 line puts its extra token
// (the preferred message version) before the version, as JXSE does:
// "... 0 1 3.0" is Version "3.0", Extra ["1"].
type Welcome struct {
	Dest        string      // the address the sender believes it connected to
	Public      string      // the sender's public address
	PeerID      jxta.PeerID // the sender
	NoPropagate bool        // the sender wants no propagated messages here
	Version     string      // "1.1", "3.0" or another; "" for a five-token line
	Extra       []string    // tokens beyond the version, nil when none
}

// NewWelcome returns the welcome line gojxta peers send: version 1.1
// followed by GoJXTAVersion.
func NewWelcome(dest, public string, peer jxta.PeerID) Welcome {
	return Welcome{Dest: dest, Public: public, PeerID: peer, Version: WelcomeVersion11, Extra: []string{GoJXTAVersion}}
}

// IsGoJXTA reports whether the line announces gojxta's framing
// (GoJXTAVersion).
func (w Welcome) IsGoJXTA() bool { return slices.Contains(w.Extra, GoJXTAVersion) }

// IsPlaintextGoJXTA reports whether the line comes from a gojxta peer that
// does not secure its connections (GoJXTAPlaintext).
func (w Welcome) IsPlaintextGoJXTA() bool {
	return !w.IsGoJXTA() && slices.Contains(w.Extra, GoJXTAPlaintext)
}

// PreferredMessageVersion returns the binary message version a 3.0 line
// prefers, and 0 (the version JXSE reads) for any other line.
func (w Welcome) PreferredMessageVersion() int {
	if w.Version != WelcomeVersion30 || len(w.Extra) != 1 {
		return 0
	}
	v, err := strconv.Atoi(w.Extra[0])
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// AppendLine appends the line, CR LF included, to b. Every field must be a
// non-empty token without white space.
func (w Welcome) AppendLine(b []byte) []byte {
	b = append(b, welcomeGreeting...)
	for _, s := range []string{w.Dest, w.Public, w.PeerID.String()} {
		b = append(b, ' ')
		b = append(b, s...)
	}
	if w.NoPropagate {
		b = append(b, " 1"...)
	} else {
		b = append(b, " 0"...)
	}
	if w.Version != WelcomeVersion30 && w.Version != "" {
		b = append(b, ' ')
		b = append(b, w.Version...)
	}
	for _, s := range w.Extra {
		b = append(b, ' ')
		b = append(b, s...)
	}
	if w.Version == WelcomeVersion30 {
		b = append(b, " 3.0"...)
	}
	return append(b, '\r', '\n')
}

// String returns the line without its CR LF.
func (w Welcome) String() string {
	b := w.AppendLine(nil)
	return string(b[:len(b)-2])
}

func welcomeError(err error, format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...), Err: err}
}

// quote quotes the start of a line for an error message.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

// ParseWelcome parses a welcome line (a trailing CR LF is allowed). It
// wants at least five tokens separated by white space, the first
// JXTAHELLO, and a peer ID in the fourth. It is lenient about the rest, as
// JXSE is: the propagation flag must be 0 or 1 only for versions 1.1 and
// 3.0, and any version is accepted.
func ParseWelcome(line string) (Welcome, error) {
	line = strings.TrimSuffix(line, "\r\n")
	toks := strings.FieldsFunc(line, isSpace)
	if len(toks) == 0 || toks[0] != welcomeGreeting {
		return Welcome{}, welcomeError(ErrBadWelcome, "not a JXTA welcome line: %s", quote(line))
	}
	if len(toks) < 5 {
		return Welcome{}, welcomeError(ErrBadWelcome, "welcome line has %d tokens, want at least 5: %s", len(toks), quote(line))
	}
	w := Welcome{Dest: toks[1], Public: toks[2]}
	id, err := jxta.Parse(toks[3])
	if err == nil {
		w.PeerID, err = jxta.AsPeerID(id)
	}
	if err != nil {
		return Welcome{}, welcomeError(ErrBadWelcome, "welcome line peer ID %s: %v", quote(toks[3]), err)
	}
	switch rest := toks[5:]; {
	case len(rest) == 0:
	case len(rest) >= 2 && rest[len(rest)-1] == WelcomeVersion30:
		w.Version, w.Extra = WelcomeVersion30, rest[:len(rest)-1]
	default:
		w.Version = rest[0]
		if len(rest) > 1 {
			w.Extra = rest[1:]
		}
	}
	switch toks[4] {
	case "1":
		w.NoPropagate = true
	case "0":
	default:
		if w.Version == WelcomeVersion11 || w.Version == WelcomeVersion30 {
			return Welcome{}, welcomeError(ErrBadWelcome, "welcome line propagation flag %s, want 0 or 1", quote(toks[4]))
		}
	}
	return w, nil
}

// ReadWelcome reads a welcome line from r: bytes up to CR LF, at most
// MaxWelcomeLen of them. A bare LF or CR stays in the line (as white
// space). It returns io.EOF when r ends before the first byte and
// io.ErrUnexpectedEOF when it ends within the line.
func ReadWelcome(r *bufio.Reader) (Welcome, error) {
	var buf [MaxWelcomeLen]byte
	n := 0
	for {
		c, err := r.ReadByte()
		if err != nil {
			if err == io.EOF && n > 0 {
				err = io.ErrUnexpectedEOF
			}
			return Welcome{}, err
		}
		if c == '\n' && n > 0 && buf[n-1] == '\r' {
			n--
			break
		}
		if n == MaxWelcomeLen-1 { // no room left for the LF
			if !strings.HasPrefix(welcomeGreeting+" ", string(buf[:min(n, len(welcomeGreeting)+1)])) {
				return Welcome{}, welcomeError(ErrBadWelcome, "not a JXTA welcome line: %s", quote(string(buf[:n])))
			}
			return Welcome{}, welcomeError(ErrTooLarge, "welcome line longer than %d bytes", MaxWelcomeLen)
		}
		buf[n] = c
		n++
	}
	return ParseWelcome(string(buf[:n]))
}
