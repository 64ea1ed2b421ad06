package group

import (
	"errors"
	"fmt"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/membership"
)

// GroupOptions describes a new peer group for NewGroupAdv.
type GroupOptions struct {
	// Name and Description become the PGA's Name and Desc; both are
	// optional.
	Name        string
	Description string
	// Parent, when not zero, is recorded in a new group ID, as JXSE's
	// newpgrp -p does. It is not used when ID is set.
	Parent jxta.GroupID
	// ID is the group's ID; zero means a new random one (JXSE-style).
	ID jxta.GroupID
	// Membership is the kind of membership; "" means membership.None.
	Membership membership.Kind
	// Password is a membership.Password group's password. Only a verifier
	// of it goes into the PGA.
	Password string
}

// GroupAdvs are the advertisements that describe a group, as JXSE
// publishes them in the parent group.
type GroupAdvs struct {
	// PGA is the peer group advertisement; a password group's carries the
	// password verifier as its membership service's parameter.
	PGA *advert.GroupAdv
	// MSA and MIA describe the group's implementation when it differs from
	// the standard group (a password group): a new module spec of the peer
	// group class and its implementation, JXSE's StdPeerGroup with that
	// membership service, as JXSE's newpgrp -s makes. They are nil for a
	// standard group, whose PGA names jxta.StdGroupSpecID: every peer has
	// that implementation built in.
	MSA *advert.ModuleSpecAdv
	MIA *advert.ModuleImplAdv
}

// All returns the advertisements to publish, implementation first: a peer
// that finds the PGA then finds the implementation it names.
func (a *GroupAdvs) All() []advert.Advertisement {
	if a.MSA == nil {
		return []advert.Advertisement{a.PGA}
	}
	return []advert.Advertisement{a.MSA, a.MIA, a.PGA}
}

// stdGroupCode is the Java class of JXSE's all-purpose peer group, which
// loads the services an implementation advertisement lists.
const stdGroupCode = "net.jxta.impl.peergroup.StdPeerGroup"

// NewGroupAdv returns the advertisements of a new group. A Password group
// needs a password, and only a Password group takes one.
func NewGroupAdv(opts GroupOptions) (*GroupAdvs, error) {
	kind, err := membership.ParseKind(string(opts.Membership))
	if err != nil {
		return nil, err
	}
	switch {
	case kind == membership.Password && opts.Password == "":
		return nil, errors.New("group: a password group needs a password")
	case kind == membership.None && opts.Password != "":
		return nil, fmt.Errorf("group: a password needs %q membership", membership.Password)
	case opts.ID == jxta.WorldGroupID || opts.ID == jxta.NetGroupID:
		return nil, fmt.Errorf("group: %s is a well-known group, not a new one", opts.ID)
	}
	pga := &advert.GroupAdv{GroupID: newGroupID(opts), SpecID: jxta.StdGroupSpecID, Name: opts.Name}
	if opts.Description != "" {
		pga.Desc = advert.NewText("Desc", opts.Description)
	}
	advs := &GroupAdvs{PGA: pga}
	if kind == membership.None {
		return advs, nil
	}
	verifier, err := membership.NewVerifier(opts.Password)
	if err != nil {
		return nil, err
	}
	entry, err := membership.ServiceEntry(verifier)
	if err != nil {
		return nil, err
	}
	pga.Services = append(pga.Services, entry)
	pga.SpecID = jxta.NewModuleSpecID(jxta.PeerGroupClassID)
	desc := fmt.Sprintf("General purpose peer group with %s membership", kind)
	advs.MSA = &advert.ModuleSpecAdv{
		SpecID:  pga.SpecID,
		Name:    "StdPeerGroup with " + string(kind) + " membership",
		Desc:    advert.NewText("Desc", desc),
		Creator: "gojxta",
		SpecURI: "https://github.com/gojxta/gojxta",
		Version: "1.0",
	}
	advs.MIA = &advert.ModuleImplAdv{
		SpecID:   pga.SpecID,
		Desc:     advert.NewText("Desc", desc),
		Compat:   advert.JXSECompat(),
		Code:     stdGroupCode,
		Provider: "gojxta",
		Parm:     groupServices(kind),
	}
	return advs, nil
}

func newGroupID(opts GroupOptions) jxta.GroupID {
	switch {
	case !opts.ID.IsNull():
		return opts.ID
	case !opts.Parent.IsNull():
		return jxta.NewGroupIDWithParent(opts.Parent)
	default:
		return jxta.NewGroupID()
	}
}

// groupServices returns the Parm of a group implementation advertisement
// listing the standard services with kind's membership, in JXSE 2.5's form
// (<Svc>spec ID</Svc>, one per service).
func groupServices(kind membership.Kind) *etree.Element {
	parm := etree.NewElement("Parm")
	for _, spec := range []jxta.ModuleSpecID{
		jxta.EndpointSpecID, jxta.ResolverSpecID, kind.SpecID(), jxta.DiscoverySpecID,
		jxta.RendezvousSpecID, jxta.PipeSpecID, jxta.PeerInfoSpecID,
	} {
		parm.AddChild(advert.NewText("Svc", spec.String()))
	}
	return parm
}

// StandardAdv returns an advertisement for the World or Net group, which
// peers start without one: their well-known ID and module spec, and name.
func StandardAdv(id jxta.GroupID, name string) *advert.GroupAdv {
	spec := jxta.NetGroupSpecID
	if id == jxta.WorldGroupID {
		spec = jxta.WorldGroupSpecID
	}
	return &advert.GroupAdv{GroupID: id, SpecID: spec, Name: name}
}
