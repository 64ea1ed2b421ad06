package mcast

import (
	"testing"

	"github.com/gojxta/gojxta/jxta/advert"
)

// FuzzDecodeDatagram feeds arbitrary datagrams to the decoder a beacon
// uses, one reader for all as in a beacon, and checks that it never
// panics and that what it accepts is a consistent announcement that
// reads back the same once re-encoded. (TestDecodeDatagramRejects checks
// that a bad datagram leaves the reader able to read the next one.)
func FuzzDecodeDatagram(f *testing.F) {
	pa := newPeerAdv(f, "alice", "tcp://192.0.2.10:9701")
	f.Add(mustEncode(f, kindHello, pa, DefaultGroup))
	f.Add(mustEncode(f, kindAnnounce, pa, "239.255.0.1:4000"))
	f.Add([]byte("JXTA"))
	f.Add(datagramOf(beaconMessage("jxta://"+pa.PeerID.Unique(),
		"mcast://224.0.1.85:1234/EndpointService:jxta-NetGroup/PeerView", nil, "")))
	f.Add(datagramOf(beaconMessage("jxta://"+pa.PeerID.Unique(),
		"mcast://224.0.1.85:1234/PeerBeacon/jxta-NetGroup", advert.MarshalIndent(pa), "hello")))
	r := newDatagramReader()
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := r.decode(data)
		if err == nil {
			if a.pa == nil || a.pa.PeerID.IsNull() {
				t.Fatalf("accepted an announcement without a peer: %+v", a)
			}
			if len(data) > MaxDatagramSize {
				t.Fatalf("accepted a datagram of %d bytes", len(data))
			}
			if a.kind != kindHello && a.kind != kindAnnounce {
				t.Fatalf("kind %d", a.kind)
			}
			if d, err := encodeDatagram(a, DefaultGroup); err == nil {
				b, err := r.decode(d)
				if err != nil || b.pa.PeerID != a.pa.PeerID || b.kind != a.kind {
					t.Fatalf("re-encoded announcement of %s reads back as %+v, %v", a.pa.PeerID, b, err)
				}
			}
		}
	})
}
