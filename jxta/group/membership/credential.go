package membership

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gojxta/gojxta/jxta"
)

// DefaultIdentity is the identity of a join that names none, as JXSE's
// None membership calls it.
const DefaultIdentity = "nobody"

// maxIdentityLen bounds an identity, in bytes.
const maxIdentityLen = 256

// Credential records that this peer joined a group: under which identity,
// through which kind of membership, and when.
type Credential struct {
	Group    jxta.GroupID
	Peer     jxta.PeerID
	Identity string
	Kind     Kind
	Joined   time.Time
}

// checkIdentity returns identity, or DefaultIdentity for "", and refuses
// one longer than maxIdentityLen bytes or holding invalid UTF-8 or control
// characters (it is shown to people).
func checkIdentity(identity string) (string, error) {
	if identity == "" {
		return DefaultIdentity, nil
	}
	if len(identity) > maxIdentityLen {
		return "", fmt.Errorf("%w: longer than %d bytes", ErrBadIdentity, maxIdentityLen)
	}
	if !utf8.ValidString(identity) {
		return "", fmt.Errorf("%w: invalid UTF-8", ErrBadIdentity)
	}
	for _, r := range identity {
		if unicode.IsControl(r) {
			return "", fmt.Errorf("%w: control character %U", ErrBadIdentity, r)
		}
	}
	return identity, nil
}
