package advert

import (
	"strings"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// Service is a <Svc> entry of a peer, peer group or configuration
// advertisement: the parameters of one service, named by its module class.
type Service struct {
	MCID jxta.ModuleClassID
	// Parm is the whole <Parm> element, attributes included, or nil.
	Parm *etree.Element
	// Disabled is the Svc's disabled="true" attribute (PlatformConfig).
	Disabled bool
	// Attrs are the Svc's other attributes.
	Attrs []xmldoc.Attr
}

// Off reports whether the service is switched off: disabled="true" on the
// Svc, or an <isOff/> element in its Parm.
func (s *Service) Off() bool {
	return s.Disabled || (s.Parm != nil && s.Parm.SelectElement("isOff") != nil)
}

// decodeService reads a <Svc>. It reports ok=false for a Svc without an
// MCID (or with an empty one), which callers keep as an unknown element.
func decodeService(d *Decoder, e *etree.Element) (svc Service, ok bool) {
	mcid := e.SelectElement("MCID")
	if mcid == nil || Text(mcid) == "" {
		return Service{}, false
	}
	svc.MCID = d.ModuleClassID(mcid)
	svc.Parm = e.SelectElement("Parm")
	for _, a := range e.Attr {
		if xmldoc.FullName(a.Space, a.Key) == "disabled" {
			svc.Disabled = strings.EqualFold(strings.TrimSpace(a.Value), "true")
			continue
		}
		svc.Attrs = append(svc.Attrs, xmldoc.Attr{Key: xmldoc.FullName(a.Space, a.Key), Value: a.Value})
	}
	return svc, true
}

func (s *Service) encode(w *xmldoc.Writer) {
	attrs := s.Attrs
	if s.Disabled {
		attrs = append([]xmldoc.Attr{{Key: "disabled", Value: "true"}}, attrs...)
	}
	w.Start("Svc", attrs...)
	idElement(w, "MCID", s.MCID.ID)
	if s.Parm != nil {
		w.Element(s.Parm)
	} else {
		w.TextElement("Parm", "") // JXSE ignores a Svc without Parm
	}
	w.End("Svc")
}

// Config decodes the configuration document the service's Parm carries:
// either the Parm itself when it has a type attribute (JXSE stores config
// advertisements renamed to Parm, such as <Parm type="jxta:RdvConfig">), or
// the first child document with a jxta: name (such as a
// jxta:TransportAdvertisement). It returns nil when there is none.
func (s *Service) Config(r *Registry) (Advertisement, error) {
	if s.Parm == nil {
		return nil, nil
	}
	if r == nil {
		r = defaultRegistry
	}
	d := &Decoder{reg: r}
	if t := s.Parm.SelectAttrValue("type", ""); t != "" {
		d.docType = t
		return r.decode(d, s.Parm)
	}
	for c := range s.Parm.ChildElementsSeq() {
		if c.Space == "jxta" {
			d.docType = docTypeOf(c)
			return r.decode(d, c)
		}
	}
	return nil, nil
}

// serviceList is the Svc list of PA, PGA and PlatformConfig documents.
type serviceList []Service

// Service returns the entry for module class mcid, or nil.
func (l serviceList) find(mcid jxta.ModuleClassID) *Service {
	for i := range l {
		if l[i].MCID == mcid {
			return &l[i]
		}
	}
	return nil
}
