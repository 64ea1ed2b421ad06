package membership

import (
	"fmt"

	"github.com/gojxta/gojxta/jxta"
)

// Kind is a kind of membership: what joining a group asks for.
type Kind string

// The kinds of membership.
const (
	// None lets anyone join under any identity.
	None Kind = "none"
	// Password asks for the group password.
	Password Kind = "password"
)

// PasswordSpecID is the module spec ID of this package's password
// membership (argon2id verifier in the PGA), a spec of the membership
// class. It differs from JXSE's Passwd spec (jxta.MembershipPasswordSpecID),
// whose parameters are a <login> list this package does not accept.
var PasswordSpecID = jxta.ModuleSpecID{ID: jxta.MustParse(
	"urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE000000058188A37ACDE943AB90CCE6F8D3057B8C06")}

// ParseKind returns the kind named s ("none" or "password"); "" is None.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case "":
		return None, nil
	case None, Password:
		return k, nil
	default:
		return "", fmt.Errorf("membership: unknown kind %q (want %q or %q)", s, None, Password)
	}
}

// SpecID returns the module spec ID of the membership service of kind k:
// JXSE's None membership spec, or PasswordSpecID.
func (k Kind) SpecID() jxta.ModuleSpecID {
	if k == Password {
		return PasswordSpecID
	}
	return jxta.MembershipNoneSpecID
}
