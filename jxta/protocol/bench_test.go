package protocol_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"

	"github.com/gojxta/gojxta/internal/benchratio"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// tokens reads every token of data with encoding/xml, as a reader built
// on it would before doing anything with them.
func tokens(b *testing.B, data []byte) {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		if _, err := d.RawToken(); err == io.EOF {
			return
		} else if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadDiscoveryQuery measures what each peer on a discovery
// query's path reads: the resolver query (about 2 KB), then the discovery
// query flattened in it, whose querier's advertisement stays unread (a
// lazy registry, as discovery reads it). It reports the rate relative to
// only tokenizing the same two documents with encoding/xml in the same run
// (x-encoding/xml-tokens; above 1 is faster).
func BenchmarkReadDiscoveryQuery(b *testing.B) {
	dq := protocol.NewDiscoveryQuery(advert.Adv, "Name", "bench-123-4567890123")
	dq.PeerAdv = peerAdv(b, alice, "edge42", "tcp://127.0.0.1:9712")
	route := &advert.RouteAdv{DstPeerID: alice, Dst: &advert.AccessPointAdv{Addresses: []string{"tcp://127.0.0.1:9712"}}}
	rq := &protocol.ResolverQuery{HandlerName: "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000305", QueryID: 7,
		SrcPeerID: alice, SrcPeerRoute: route, Query: protocol.Flatten(dq)}
	doc := advert.Marshal(rq)
	inner := []byte(rq.Query)
	lazy := protocol.NewLazyRegistry()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	benchratio.Compare(b, "x-encoding/xml-tokens",
		func() {
			q, err := protocol.ParseAs[*protocol.ResolverQuery](doc)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](q.Query, lazy); err != nil {
				b.Fatal(err)
			}
		},
		func() {
			tokens(b, doc)
			tokens(b, inner)
		})
}
