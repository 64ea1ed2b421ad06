package membership

import (
	"fmt"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// verifierElement is the element of the membership Parm that holds a
// password group's verifier.
const verifierElement = "Verifier"

// ServiceEntry returns the Svc entry of a password group's advertisement:
// the membership class ID and <Parm><Verifier>verifier</Verifier></Parm>.
// It refuses a verifier that CheckVerifier would refuse as malformed.
func ServiceEntry(verifierText string) (advert.Service, error) {
	if _, err := parseVerifier(verifierText); err != nil {
		return advert.Service{}, err
	}
	parm := etree.NewElement("Parm")
	parm.AddChild(advert.NewText(verifierElement, verifierText))
	return advert.Service{MCID: jxta.MembershipClassID, Parm: parm}, nil
}

// MembershipOf returns the kind of membership pga describes and, for a
// Password group, its verifier. A PGA without a membership Svc entry, or
// with an empty Parm, is a None group. A verifier out of bounds gives
// ErrBadVerifier; several membership entries, or parameters other than one
// <Verifier> (such as JXSE's Passwd <login> list), give ErrUnsupported:
// such a group is refused rather than taken as open.
func MembershipOf(pga *advert.GroupAdv) (Kind, string, error) {
	var svc *advert.Service
	for i := range pga.Services {
		if pga.Services[i].MCID != jxta.MembershipClassID {
			continue
		}
		if svc != nil {
			return "", "", fmt.Errorf("%w: group %s has several membership entries", ErrUnsupported, pga.GroupID)
		}
		svc = &pga.Services[i]
	}
	if svc == nil || svc.Parm == nil {
		return None, "", nil
	}
	children := svc.Parm.ChildElements()
	switch {
	case len(children) == 0 && advert.Text(svc.Parm) == "":
		return None, "", nil
	case len(children) != 1 || children[0].FullTag() != verifierElement:
		return "", "", fmt.Errorf("%w: group %s: membership parameters are not one <%s>", ErrUnsupported, pga.GroupID, verifierElement)
	}
	v := advert.Text(children[0])
	if _, err := parseVerifier(v); err != nil {
		return "", "", fmt.Errorf("group %s: %w", pga.GroupID, err)
	}
	return Password, v, nil
}
