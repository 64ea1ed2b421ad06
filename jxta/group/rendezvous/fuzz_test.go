package rendezvous

import (
	"bytes"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// FuzzHandlers feeds messages of arbitrary elements to the lease,
// propagation and peer view handlers of a rendezvous and an edge: they
// must drop what they cannot read, within bounds, and never panic. The
// data is split at zero bytes into up to 8 elements, each named by the
// next pick.
func FuzzHandlers(f *testing.F) {
	names := []string{
		elementConnect, elementDisconnect, elementConnectedPeer, elementConnectedLease, elementRdvAdvReply,
		elementRdvReferral, elementProbe, elementResponse, elementDigest, elementSample, elementSampleAge, headerName,
	}
	pick := func(name string) byte {
		for i, n := range names {
			if n == name {
				return byte(i)
			}
		}
		panic(name)
	}
	from := &advert.PeerAdv{PeerID: jxta.NewPeerID(jxta.NetGroupID), GroupID: jxta.NetGroupID, Name: "from"}
	fromDoc := advert.Marshal(from)
	other := advert.Marshal(&advert.PeerAdv{PeerID: jxta.NewPeerID(jxta.NetGroupID), GroupID: jxta.NetGroupID})
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, []byte{0}) }

	f.Add([]byte{pick(elementConnect)}, fromDoc)
	f.Add([]byte{pick(elementDisconnect)}, fromDoc)
	f.Add([]byte{pick(elementConnectedPeer), pick(elementConnectedLease), pick(elementRdvAdvReply), pick(elementRdvReferral)},
		join([]byte(from.PeerID.String()), []byte("60000"), fromDoc, other))
	f.Add([]byte{pick(elementProbe), pick(elementDigest), pick(elementSample), pick(elementSampleAge)},
		join(fromDoc, appendDigestEntry(nil, 1, time.Second), other, []byte(jxta.NewPeerID(jxta.NetGroupID).String()+" 5")))
	f.Add([]byte{pick(elementResponse)}, fromDoc)
	f.Add([]byte{pick(headerName)}, []byte(header("m", 3, from.PeerID)))

	nw := network{"mem", endpoint.NewMemNetwork()}
	rdv := nw.start(f, "rdv", spec{role: Rendezvous, period: time.Hour})
	edge := nw.start(f, "edge", spec{role: Edge, lease: time.Hour})
	f.Fuzz(func(t *testing.T, picks, data []byte) {
		m := jxta.NewMessage()
		for i, part := range bytes.SplitN(data, []byte{0}, 8) {
			name := names[i%len(names)]
			if len(picks) > 0 {
				name = names[int(picks[i%len(picks)])%len(names)]
			}
			m.AddBytes(jxta.NamespaceJXTA, name, part)
		}
		for _, p := range []*testPeer{rdv, edge} {
			in := func() *endpoint.Incoming { return &endpoint.Incoming{Message: m.Clone(), Peer: from.PeerID} }
			p.svc.serveLease(in())
			p.svc.servePropagate(in())
			p.svc.serveGossip(in())
		}
	})
}
