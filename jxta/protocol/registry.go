package protocol

import (
	"fmt"

	"github.com/gojxta/gojxta/jxta/advert"
)

// The document types of this package, as advert.Advertisement.AdvType
// returns them.
const (
	TypeDiscoveryQuery     = "jxta:DiscoveryQuery"
	TypeDiscoveryResponse  = "jxta:DiscoveryResponse"
	TypeResolverQuery      = "jxta:ResolverQuery"
	TypeResolverResponse   = "jxta:ResolverResponse"
	TypeResolverSRDI       = "jxta:ResolverSRDI"
	TypeSRDI               = "jxta:GenSRDI"
	TypePropagate          = "jxta:RendezVousPropagateMessage"
	TypeLeaseRequest       = "jxta:LeaseRequest"
	TypeLeaseResponse      = "jxta:LeaseResponse"
	TypePeerInfoQuery      = "jxta:PeerInfoQueryMessage"
	TypePeerInfoResponse   = "jxta:PeerInfoResponseMessage"
	TypePipeResolver       = "jxta:PipeResolver"
	TypeWireHeader         = "JxtaWire" // JXSE writes the root without prefix
	typeWireHeaderPrefixed = "jxta:JxtaWire"
)

// isProtocolType reports whether t names a document type of this package.
func isProtocolType(t string) bool {
	switch t {
	case TypeDiscoveryQuery, TypeDiscoveryResponse, TypeResolverQuery, TypeResolverResponse,
		TypeResolverSRDI, TypeSRDI, TypePropagate, TypeLeaseRequest, TypeLeaseResponse,
		TypePeerInfoQuery, TypePeerInfoResponse, TypePipeResolver, TypeWireHeader, typeWireHeaderPrefixed:
		return true
	}
	return false
}

// codec binds the decoders to the registry they read flattened
// advertisements with.
type codec struct {
	reg *advert.Registry
	// lazy leaves the peer advertisements of discovery documents unread
	// (see NewLazyRegistry).
	lazy bool
}

// Register adds the protocol document types to r. Their decoders read the
// advertisements flattened into discovery responses, queries and pipe
// answers with r, so types registered on r later are known there too.
// Register must not run while r is in use.
func Register(r *advert.Registry) { register(r, false) }

func register(r *advert.Registry, lazy bool) {
	c := &codec{reg: r, lazy: lazy}
	r.Register(c.decodeDiscoveryQuery, TypeDiscoveryQuery)
	r.Register(c.decodeDiscoveryResponse, TypeDiscoveryResponse)
	r.Register(decodeResolverQuery, TypeResolverQuery)
	r.Register(decodeResolverResponse, TypeResolverResponse)
	r.Register(decodeResolverSRDI, TypeResolverSRDI)
	r.Register(decodeSRDIMessage, TypeSRDI)
	r.Register(decodePropagate, TypePropagate)
	r.Register(decodeLeaseRequest, TypeLeaseRequest)
	r.Register(decodeLeaseResponse, TypeLeaseResponse)
	r.Register(decodePeerInfoQuery, TypePeerInfoQuery)
	r.Register(decodePeerInfoResponse, TypePeerInfoResponse)
	r.Register(c.decodePipeResolver, TypePipeResolver)
	r.Register(decodeWireHeader, TypeWireHeader, typeWireHeaderPrefixed)
}

// NewRegistry returns a registry of advert's built-in advertisement types
// and the protocol documents of this package.
func NewRegistry() *advert.Registry {
	r := advert.NewRegistry()
	Register(r)
	return r
}

// NewLazyRegistry returns a registry like NewRegistry's, except that the
// discovery documents it reads leave the peer advertisement they carry
// (their PeerAdv element) unread, as text in PeerAdvText: a peer that
// forwards a query, or has no use for a responder's advertisement, does
// not pay for reading it. DiscoveryQuery.ReadPeerAdv reads it when it is
// needed.
func NewLazyRegistry() *advert.Registry {
	r := advert.NewRegistry()
	register(r, true)
	return r
}

// defaultRegistry is never modified after package initialisation.
var defaultRegistry = NewRegistry()

// Parse reads one document, protocol document or advertisement, with the
// default limits. Flattened documents inside are read as the types
// document (Query, Response and Payload of the resolver documents stay
// text); use Validate to check them all.
func Parse(data []byte) (advert.Advertisement, error) { return defaultRegistry.Parse(data) }

// ParseAs reads one document and checks that it is of type T, for example
// ParseAs[*ResolverQuery](data).
func ParseAs[T advert.Advertisement](data []byte) (T, error) {
	return as[T](Parse(data))
}

// Validate reads data as Parse does, then checks everything Parse
// tolerates: every document flattened into it, at every level down to
// MaxNesting (each must be readable as its type, and the Query, Response
// and Payload of resolver documents too), flattened peer advertisements
// and discovery responses that could not be read. It returns the outer
// document.
func Validate(data []byte) (advert.Advertisement, error) {
	return ValidateWith(defaultRegistry, data)
}

// ValidateWith is Validate with the types and limits of reg, which should
// hold the protocol documents (see Register).
func ValidateWith(reg *advert.Registry, data []byte) (advert.Advertisement, error) {
	a, err := reg.Validate(data)
	if err != nil {
		return nil, err
	}
	if err := check(reg, a, 1); err != nil {
		return nil, err
	}
	return a, nil
}

func as[T advert.Advertisement](a advert.Advertisement, err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	t, ok := a.(T)
	if !ok {
		return zero, &advert.Error{DocType: a.AdvType(), Err: fmt.Errorf("%w: want %T", advert.ErrWrongType, zero)}
	}
	return t, nil
}
