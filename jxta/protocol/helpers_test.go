package protocol_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/gojxta/gojxta/jxta/xmldoc"
	"github.com/stretchr/testify/require"
)

// fixed IDs make the samples and their expected values readable.
var (
	alice = mustPeer("urn:jxta:uuid-59616261646162614E50472050325033F1A68F7234834877BB5C94BD41B87DE303")
	bob   = mustPeer("urn:jxta:uuid-59616261646162614E50472050325033E480A6AFB47A4FCB83C4F8E937CC274D03")
	pipe  = mustPipe("urn:jxta:uuid-59616261646162614E504720503250338C31C5D6EF1F464A84C38B0F23D31F3E04")
)

func mustPeer(s string) jxta.PeerID {
	id, err := jxta.ParsePeerID(s)
	if err != nil {
		panic(err)
	}
	return id
}

func mustPipe(s string) jxta.PipeID {
	id, err := jxta.ParsePipeID(s)
	if err != nil {
		panic(err)
	}
	return id
}

// peerAdv returns a peer advertisement of id reachable at addr.
func peerAdv(t testing.TB, id jxta.PeerID, name, addr string) *advert.PeerAdv {
	t.Helper()
	pa := &advert.PeerAdv{PeerID: id, GroupID: jxta.NetGroupID, Name: name}
	require.NoError(t, pa.SetEndpointAddresses([]string{addr}))
	return pa
}

// nullCred returns a jxta:Cred element as JXSE writes it.
func nullCred(peer jxta.PeerID) *etree.Element {
	c := etree.NewElement("jxta:Cred")
	c.CreateAttr("xmlns:jxta", xmldoc.Namespace)
	c.CreateAttr("type", "jxta:NullCred")
	c.CreateElement("PeerGroupID").SetText(jxta.NetGroupID.String())
	c.CreateElement("PeerID").SetText(peer.String())
	c.CreateElement("Identity").SetText("nobody")
	return c
}

// samples returns one document of every protocol type, with most fields
// set.
func samples(t testing.TB) []advert.Advertisement {
	t.Helper()
	paA := peerAdv(t, alice, "alice & <co>", "tcp://127.0.0.1:9712")
	paB := peerAdv(t, bob, "bob", "tcp://127.0.0.1:9711")
	route := &advert.RouteAdv{DstPeerID: alice, Dst: &advert.AccessPointAdv{Addresses: []string{"tcp://127.0.0.1:9712"}}}
	dq := protocol.NewDiscoveryQuery(advert.Adv, "Name", "jxse-pipe-*")
	dq.PeerAdv = paA
	dr := &protocol.DiscoveryResponse{Type: advert.Adv, PeerAdv: paB, PeerAdvExpiration: protocol.DefaultExpiration, Attr: "Name", Value: "jxse-pipe-*"}
	dr.Add(&advert.PipeAdv{PipeID: pipe, Type: advert.PipeUnicast, Name: "jxse-pipe-alpha"}, protocol.DefaultExpiration)
	dr.Add(paB, protocol.Forever)
	srdi := &protocol.SRDIMessage{PeerID: alice, PrimaryKey: "Adv", TTL: protocol.SRDIReplicate, Entries: []protocol.SRDIEntry{
		{SKey: "Name", Value: "jxse-pipe-beta", Expiration: protocol.DefaultExpiration},
		{SKey: "Id", Value: pipe.String(), Expiration: protocol.Forever},
		{SKey: protocol.SRDIDefaultKey, Value: "no key", Expiration: 0},
	}}
	request := etree.NewElement("jxta:PeerInfoQuery")
	request.CreateElement("what").SetText("uptime")
	traffic := etree.NewElement("traffic")
	traffic.CreateElement("lastIncomingMessageAt").SetText("1700000000000")
	options := []*etree.Element{etree.NewElement("Option"), etree.NewElement("Option")}
	options[0].CreateAttr("type", "jxta:PeerViewOptions")
	options[0].CreateAttr("auto_rdv", "true")
	options[1].CreateAttr("type", "jxta:RdvLeaseOptions")
	options[1].CreateAttr("willingness", "0")
	credential := etree.NewElement("Credential")
	credential.CreateAttr("type", "jxta:NullCred")
	credential.CreateElement("PeerID").SetText(alice.String())
	return []advert.Advertisement{
		dq,
		dr,
		&protocol.ResolverQuery{HandlerName: jxta.MustParse("urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000305").String(),
			Credential: nullCred(alice), QueryID: 7, HopCount: 2, SrcPeerID: alice, SrcPeerRoute: route, Query: protocol.Flatten(dq)},
		&protocol.ResolverResponse{HandlerName: "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000305", Credential: nullCred(bob),
			QueryID: 7, Response: protocol.Flatten(dr)},
		&protocol.ResolverSRDI{HandlerName: "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000305", Payload: protocol.Flatten(srdi)},
		srdi,
		&protocol.RendezVousPropagateMessage{MessageID: "00000001-0000-1000-8191-f5a7778d6162",
			DestSName: "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000205", DestSParam: "jxta-NetGroupORes", TTL: 200, Path: []jxta.PeerID{alice, bob}},
		&protocol.PeerInfoQueryMessage{SourcePeerID: alice, TargetPeerID: bob, Request: request},
		&protocol.PeerInfoResponseMessage{SourcePeerID: bob, TargetPeerID: alice, Response: request.Copy(),
			Uptime: 90 * time.Second, Timestamp: time.UnixMilli(1700000000123), Traffic: traffic},
		&protocol.PipeResolver{MsgType: protocol.PipeQuery, PipeID: pipe, Type: advert.PipeUnicast, Peers: []jxta.PeerID{bob}},
		&protocol.PipeResolver{MsgType: protocol.PipeAnswer, PipeID: pipe, Type: advert.PipeUnicast, Peers: []jxta.PeerID{bob}, Found: true, PeerAdv: paB},
		&protocol.WireHeader{SrcPeer: alice, PipeID: pipe, MsgID: "a1b2c3", TTL: 3, VisitedPeers: []jxta.PeerID{alice}},
		&protocol.LeaseRequest{ClientID: alice, RequestedLease: 20 * time.Minute, ServerAdvGen: "2b84b57c-28dc-11db-a34f-0011d858b975",
			ReferralAdvs: 2, Credential: credential, ClientAdv: &protocol.LeaseAdv{Adv: paA, Expiration: protocol.DefaultExpiration}, Options: options},
		&protocol.LeaseResponse{ServerID: bob, OfferedLease: 20 * time.Minute,
			Server:    &protocol.LeaseAdv{Adv: paB, Gen: "2b84b57c-28dc-11db-a34f-0011d858b975", Expiration: 40 * time.Minute},
			Referrals: []protocol.LeaseAdv{{Adv: paA, Expiration: time.Hour}}, Options: options[:1]},
	}
}

// describe summarises the typed content of a document, so that two reads
// can be compared field by field (element trees by their text).
func describe(a advert.Advertisement) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("%T %s", a, a.AdvType())
	switch v := a.(type) {
	case *protocol.DiscoveryQuery:
		p(" type=%d threshold=%d pa=%s paErr=%t attr=%q value=%q", v.Type, v.Threshold, paSummary(v.PeerAdv), v.PeerAdvErr != nil, v.Attr, v.Value)
		p(" unknown=%s", unknown(v.Unknown))
	case *protocol.DiscoveryResponse:
		p(" type=%d pa=%s exp=%s paErr=%t attr=%q value=%q", v.Type, paSummary(v.PeerAdv), v.PeerAdvExpiration, v.PeerAdvErr != nil, v.Attr, v.Value)
		for _, r := range v.Responses {
			p("\n  response exp=%s err=%t", r.Expiration, r.Err != nil)
			if r.Adv != nil {
				p(" %s %s %v", r.Adv.AdvType(), r.Adv.ID(), r.Adv.IndexFields())
			}
		}
		p(" unknown=%s", unknown(v.Unknown))
	case *protocol.ResolverQuery:
		p(" handler=%s cred=%s qid=%d hc=%d src=%s route=%s", v.HandlerName, tree(v.Credential), v.QueryID, v.HopCount, v.SrcPeerID, routeSummary(v.SrcPeerRoute))
		p(" query=%s unknown=%s", flat(v.Query), unknown(v.Unknown))
	case *protocol.ResolverResponse:
		p(" handler=%s cred=%s qid=%d response=%s unknown=%s", v.HandlerName, tree(v.Credential), v.QueryID, flat(v.Response), unknown(v.Unknown))
	case *protocol.ResolverSRDI:
		p(" handler=%s cred=%s payload=%s unknown=%s", v.HandlerName, tree(v.Credential), flat(v.Payload), unknown(v.Unknown))
	case *protocol.SRDIMessage:
		p(" pid=%s pkey=%s ttl=%d entries=%v unknown=%s", v.PeerID, v.PrimaryKey, v.TTL, v.Entries, unknown(v.Unknown))
	case *protocol.RendezVousPropagateMessage:
		p(" id=%s dest=%s/%s ttl=%d path=%v unknown=%s", v.MessageID, v.DestSName, v.DestSParam, v.TTL, v.Path, unknown(v.Unknown))
	case *protocol.PeerInfoQueryMessage:
		p(" %s->%s request=%s unknown=%s", v.SourcePeerID, v.TargetPeerID, tree(v.Request), unknown(v.Unknown))
	case *protocol.PeerInfoResponseMessage:
		p(" %s->%s response=%s uptime=%s ts=%d traffic=%s unknown=%s", v.SourcePeerID, v.TargetPeerID, tree(v.Response), v.Uptime, v.Timestamp.UnixMilli(), tree(v.Traffic), unknown(v.Unknown))
	case *protocol.PipeResolver:
		p(" %s pipe=%s type=%s peers=%v found=%t pa=%s paErr=%t unknown=%s", v.MsgType, v.PipeID, v.Type, v.Peers, v.Found, paSummary(v.PeerAdv), v.PeerAdvErr != nil, unknown(v.Unknown))
	case *protocol.WireHeader:
		p(" src=%s pipe=%s msg=%s ttl=%d visited=%v unknown=%s", v.SrcPeer, v.PipeID, v.MsgID, v.TTL, v.VisitedPeers, unknown(v.Unknown))
	case *protocol.LeaseRequest:
		p(" client=%s lease=%s gen=%s referrals=%d cred=%s adv=%s", v.ClientID, v.RequestedLease, v.ServerAdvGen, v.ReferralAdvs, tree(v.Credential), leaseAdv(v.ClientAdv))
		p(" options=%s unknown=%s", trees(v.Options), unknown(v.Unknown))
	case *protocol.LeaseResponse:
		p(" server=%s lease=%s cred=%s adv=%s", v.ServerID, v.OfferedLease, tree(v.Credential), leaseAdv(v.Server))
		for i := range v.Referrals {
			p(" referral=%s", leaseAdv(&v.Referrals[i]))
		}
		p(" options=%s unknown=%s", trees(v.Options), unknown(v.Unknown))
	default:
		p(" %s %v", a.ID(), a.IndexFields())
	}
	return b.String()
}

func paSummary(pa *advert.PeerAdv) string {
	if pa == nil {
		return "none"
	}
	return fmt.Sprintf("%s %v %v", pa.PeerID, pa.IndexFields(), pa.EndpointAddresses())
}

func routeSummary(r *advert.RouteAdv) string {
	if r == nil {
		return "none"
	}
	return fmt.Sprintf("%s %v", r.DstPeerID, r.Dst.Addresses)
}

func leaseAdv(la *protocol.LeaseAdv) string {
	if la == nil {
		return "none"
	}
	return fmt.Sprintf("{%s gen=%s exp=%s attrs=%v}", paSummary(la.Adv), la.Gen, la.Expiration, la.Adv.Attrs)
}

// flat summarises a flattened document by what it reads as.
func flat(text string) string {
	a, err := protocol.Unflatten(text, nil)
	if err != nil {
		return "unreadable(" + err.Error() + ")"
	}
	return "{" + describe(a) + "}"
}

// tree writes an element tree compactly.
func tree(e *etree.Element) string {
	if e == nil {
		return "none"
	}
	w := xmldoc.NewWriter(xmldoc.Compact, false)
	w.Element(e)
	return string(w.Bytes())
}

func trees(es []*etree.Element) string {
	var out []string
	for _, e := range es {
		out = append(out, tree(e))
	}
	return "[" + strings.Join(out, " ") + "]"
}

func unknown(u advert.Unknown) string {
	return fmt.Sprintf("%v%s", u.Attrs, trees(u.Elements))
}

// marshalers are the two writing forms.
var marshalers = []struct {
	name string
	fn   func(advert.Advertisement) []byte
}{
	{"compact", advert.Marshal},
	{"indented", advert.MarshalIndent},
}

// requireRoundTrip writes a in both forms and reads it back: the typed
// content must be the same and writing again must give the same bytes.
func requireRoundTrip(t *testing.T, a advert.Advertisement) {
	t.Helper()
	want := describe(a)
	for _, m := range marshalers {
		out := m.fn(a)
		b, err := protocol.Parse(out)
		require.NoError(t, err, "%s form:\n%s", m.name, out)
		require.Equal(t, want, describe(b), "%s form:\n%s", m.name, out)
		require.Equal(t, string(out), string(m.fn(b)), "%s form is stable", m.name)
	}
}
