package advert

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// SignedAdv is a signed advertisement (jxta:SA) as gojxta writes it: the
// exact bytes of an advertisement, signed with Ed25519 by its publisher,
// whose peer ID and public key the credential names. A SignedAdv that
// Parse returns has been verified: its key derives Publisher, its
// signature is good for Data, and Data parses as Adv.
//
//	<jxta:SA>
//	  <Credential type="jxta:Ed25519Cred"><PeerID>…</PeerID><Key type="Ed25519">…</Key></Credential>
//	  <Signature algorithm="Ed25519">base64 of the signature</Signature>
//	  <Advertisement type="jxta:PA">base64 of Data</Advertisement>
//	</jxta:SA>
//
// JXSE's jxta:SA has the same three elements, with a PSE credential and
// an RSA signature, which gojxta does not read.
type SignedAdv struct {
	Publisher jxta.PeerID
	Key       ed25519.PublicKey
	Signature []byte
	Data      []byte        // the advertisement, as signed
	Adv       Advertisement // Data, parsed
}

// Credential and signature types of gojxta's signed advertisements.
const (
	CredTypeEd25519  = "jxta:Ed25519Cred"
	SignatureEd25519 = "Ed25519"
)

// ErrBadSignature reports a signed advertisement whose signature, key or
// publisher does not hold.
var ErrBadSignature = errors.New("bad signature")

// Signer is what signs an advertisement: a peer's identity
// (identity.Identity).
type Signer interface {
	PeerID() jxta.PeerID
	PublicKey() ed25519.PublicKey
	Sign(msg []byte) []byte
}

// Sign returns a signed by s: its compact form, signed.
func Sign(a Advertisement, s Signer) *SignedAdv {
	data := Marshal(a)
	return &SignedAdv{Publisher: s.PeerID(), Key: s.PublicKey(), Signature: s.Sign(data), Data: data, Adv: a}
}

// AdvType returns "jxta:SA".
func (*SignedAdv) AdvType() string { return "jxta:SA" }

// ID returns the ID of the signed advertisement.
func (s *SignedAdv) ID() jxta.ID { return s.Adv.ID() }

// IndexFields returns the signed advertisement's.
func (s *SignedAdv) IndexFields() []Field { return s.Adv.IndexFields() }

// EncodeXML writes the credential, the signature and the advertisement.
func (s *SignedAdv) EncodeXML(w *xmldoc.Writer) {
	encodeSigned(w, s.Publisher, s.Key, s.Signature, s.Data, s.Adv.AdvType())
}

// MarshalSigned returns the compact jxta:SA document of data, an
// advertisement of type advType signed by publisher with key, as
// Marshal(SignedAdv) writes it, for a holder of the parts that has not
// parsed data (a cache serving what it received). It checks nothing.
func MarshalSigned(publisher jxta.PeerID, key ed25519.PublicKey, sig, data []byte, advType string) []byte {
	w := xmldoc.NewWriter(xmldoc.Compact, true)
	encodeSigned(w, publisher, key, sig, data, advType)
	return w.Bytes()
}

func encodeSigned(w *xmldoc.Writer, publisher jxta.PeerID, key ed25519.PublicKey, sig, data []byte, advType string) {
	w.StartDocument("jxta:SA")
	w.Start("Credential", xmldoc.Attr{Key: "type", Value: CredTypeEd25519})
	w.TextElementOf("PeerID", publisher)
	w.Start("Key", xmldoc.Attr{Key: "type", Value: KeyTypeEd25519})
	w.Text(base64.StdEncoding.EncodeToString(key))
	w.End("Key")
	w.End("Credential")
	w.Start("Signature", xmldoc.Attr{Key: "algorithm", Value: SignatureEd25519})
	w.Text(base64.StdEncoding.EncodeToString(sig))
	w.End("Signature")
	w.Start("Advertisement", xmldoc.Attr{Key: "type", Value: advType})
	w.Text(base64.StdEncoding.EncodeToString(data))
	w.End("Advertisement")
	w.End("jxta:SA")
}

// Verify checks the signed advertisement: the key derives the publisher's
// peer ID, and the signature is the key's over Data.
func (s *SignedAdv) Verify() error {
	switch {
	case !s.Publisher.IsKeyOf(s.Key):
		return fmt.Errorf("%w: the key is not %s's", ErrBadSignature, s.Publisher)
	case !ed25519.Verify(s.Key, s.Data, s.Signature):
		return fmt.Errorf("%w: the signature does not match the advertisement", ErrBadSignature)
	}
	return nil
}

func decodeSignedAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	s := &SignedAdv{}
	var advType string
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "Credential":
			if t := c.SelectAttrValue("type", ""); t != CredTypeEd25519 {
				return nil, d.Failf(c, "credential type %q: gojxta reads %q only", t, CredTypeEd25519)
			}
			for cc := range c.ChildElementsSeq() {
				switch cc.Tag {
				case "PeerID":
					s.Publisher = d.PeerID(cc)
				case "Key":
					s.Key = decodeKey(d, cc)
				}
			}
		case "Signature":
			if a := c.SelectAttrValue("algorithm", ""); a != SignatureEd25519 {
				return nil, d.Failf(c, "signature algorithm %q: gojxta reads %q only", a, SignatureEd25519)
			}
			s.Signature = decodeBase64(d, c)
		case "Advertisement":
			advType = c.SelectAttrValue("type", "")
			s.Data = decodeBase64(d, c)
		}
	}
	switch {
	case d.Err() != nil:
		return nil, d.Err()
	case s.Publisher.IsNull() || s.Key == nil:
		return nil, d.Missing(root, "Credential")
	case s.Signature == nil:
		return nil, d.Missing(root, "Signature")
	case s.Data == nil:
		return nil, d.Missing(root, "Advertisement")
	}
	if err := s.Verify(); err != nil {
		return nil, d.Fail(root, err)
	}
	inner, err := d.reg.Parse(s.Data)
	if err != nil {
		return nil, d.Fail(root, fmt.Errorf("the signed advertisement: %w", err))
	}
	if _, nested := inner.(*SignedAdv); nested {
		return nil, d.Failf(root, "a signed advertisement inside another")
	}
	if advType != "" && advType != inner.AdvType() {
		return nil, d.Failf(root, "<Advertisement type=%q> holds a %s", advType, inner.AdvType())
	}
	s.Adv = inner
	return s, nil
}

// decodeBase64 reads the base64 text of e.
func decodeBase64(d *Decoder, e *etree.Element) []byte {
	b, err := base64.StdEncoding.DecodeString(Text(e))
	if err != nil {
		d.Failf(e, "not base64: %v", err)
		return nil
	}
	return b
}
