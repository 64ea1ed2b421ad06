package protocol_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// captureElement is one message element of the captured JXSE 2.6 traffic.
type captureElement struct {
	msg  int // index of its message in the stream
	name string
	data []byte
}

// captureElements decodes the message packages of a capture stream and
// returns their elements of namespace jxta.
func captureElements(tb testing.TB, stream string) []captureElement {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join(interop.Dir(tb), "captures", stream))
	require.NoError(tb, err)
	br := bufio.NewReader(bytes.NewReader(raw))
	_, err = framing.ReadWelcome(br)
	require.NoError(tb, err)
	r := framing.NewReader(br, jxta.LegacyMaxMessageSize)
	var out []captureElement
	for i := 0; ; i++ {
		_, body, err := r.ReadPackage()
		if err != nil {
			break
		}
		m, err := jxta.DecodeBinary(body, jxta.MessageLimits{MaxSize: jxta.LegacyMaxMessageSize})
		require.NoError(tb, err)
		for _, e := range m.Elements() {
			if e.Namespace == jxta.NamespaceJXTA {
				out = append(out, captureElement{i, e.Name, e.Data})
			}
		}
	}
	require.NotEmpty(tb, out)
	return out
}

// byName returns the data of the elements called name, in order.
func byName(els []captureElement, name string) [][]byte {
	var out [][]byte
	for _, e := range els {
		if e.name == name {
			out = append(out, e.data)
		}
	}
	return out
}

// parseCaptured reads a captured document as T, validates it and checks
// that it survives a round trip.
func parseCaptured[T advert.Advertisement](t *testing.T, data []byte) T {
	t.Helper()
	v, err := protocol.ParseAs[T](data)
	require.NoError(t, err, "%s", data)
	_, err = protocol.Validate(data)
	require.NoError(t, err)
	requireRoundTrip(t, v)
	return v
}

const (
	edgePeer     = "urn:jxta:uuid-59616261646162614E50472050325033F1A68F7234834877BB5C94BD41B87DE303"
	rdvPeer      = "urn:jxta:uuid-59616261646162614E50472050325033E480A6AFB47A4FCB83C4F8E937CC274D03"
	discoveryID  = "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000305"
	resolverName = "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000205"
)

// TestCaptureEdgeToRendezvous reads the protocol documents an edge peer
// sent its rendezvous: the lease request carrying its PA, and two
// propagated resolver queries carrying discovery queries.
func TestCaptureEdgeToRendezvous(t *testing.T) {
	t.Parallel()
	els := captureElements(t, "edge_to_rdv.stream")

	connect := byName(els, "Connect")
	require.Len(t, connect, 1)
	pa := parseCaptured[*advert.PeerAdv](t, connect[0])
	assert.Equal(t, edgePeer, pa.PeerID.String())
	assert.Equal(t, "beta", pa.Name)
	assert.Equal(t, []string{"tcp://127.0.0.1:9712"}, pa.EndpointAddresses())

	queries := byName(els, "jxta-NetGroupORes")
	require.Len(t, queries, 2)
	want := []struct {
		qid              int64
		typ              advert.Category
		attr, value      string
		threshold        int
		propagateMessage string
	}{
		{1, advert.Adv, "Name", "jxse-pipe-*", 10, "00000001-0000-1000-8191-f5a7778d6162"},
		{2, advert.Peers, "", "", 10, "00000003-0000-1000-8191-f5a7778d6162"},
	}
	headers := byName(els, "RendezVousPropagatejxta-NetGroup")
	require.Len(t, headers, 2)
	for i, w := range want {
		q := parseCaptured[*protocol.ResolverQuery](t, queries[i])
		assert.Equal(t, discoveryID, q.HandlerName)
		assert.Equal(t, w.qid, q.QueryID)
		assert.Equal(t, 0, q.HopCount)
		assert.Equal(t, edgePeer, q.SrcPeerID.String())
		require.NotNil(t, q.SrcPeerRoute)
		assert.Equal(t, q.SrcPeerID, q.SrcPeerRoute.DstPeerID)
		assert.Equal(t, []string{"tcp://127.0.0.1:9712", "relay://uuid-59616261646162614E50472050325033F1A68F7234834877BB5C94BD41B87DE303"}, q.SrcPeerRoute.Dst.Addresses)
		require.NotNil(t, q.Credential)
		assert.Equal(t, "jxta:Cred", q.Credential.FullTag())
		assert.Equal(t, "jxta:NullCred", q.Credential.SelectAttrValue("type", ""))
		assert.Equal(t, edgePeer, advert.Text(q.Credential.SelectElement("PeerID")))

		dq, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](q.Query, nil)
		require.NoError(t, err, "%s", q.Query)
		assert.Equal(t, w.typ, dq.Type)
		assert.Equal(t, w.threshold, dq.Threshold)
		assert.Equal(t, w.attr, dq.Attr)
		assert.Equal(t, w.value, dq.Value)
		assert.Nil(t, dq.PeerAdv, "JXSE 2.6 sends no PeerAdv in queries")
		assert.Empty(t, dq.Elements)

		h := parseCaptured[*protocol.RendezVousPropagateMessage](t, headers[i])
		assert.Equal(t, w.propagateMessage, h.MessageID)
		assert.Equal(t, w.propagateMessage, h.DuplicateKey())
		assert.Equal(t, resolverName, h.DestSName)
		assert.Equal(t, "jxta-NetGroupORes", h.DestSParam)
		assert.Equal(t, 200, h.TTL)
		require.Len(t, h.Path, 1)
		assert.Equal(t, edgePeer, h.Path[0].String())
		assert.True(t, h.Visited(q.SrcPeerID))
	}
}

// TestCaptureRendezvousToEdge reads the rendezvous' lease grant (its PA)
// and its two resolver responses carrying discovery responses carrying
// flattened advertisements (escaped twice).
func TestCaptureRendezvousToEdge(t *testing.T) {
	t.Parallel()
	els := captureElements(t, "rdv_to_edge.stream")

	reply := byName(els, "RdvAdvReply")
	require.Len(t, reply, 1)
	pa := parseCaptured[*advert.PeerAdv](t, reply[0])
	assert.Equal(t, rdvPeer, pa.PeerID.String())
	assert.Equal(t, "alpha", pa.Name)
	require.NotNil(t, pa.Service(jxta.RendezvousClassID), "a rendezvous says so")

	responses := byName(els, "jxta-NetGroupIRes")
	require.Len(t, responses, 2)

	// The answer to query 2 (peers): both peers' PAs; the edge's own PA
	// comes back with Expiration 0, which receivers drop.
	r := parseCaptured[*protocol.ResolverResponse](t, responses[0])
	assert.Equal(t, discoveryID, r.HandlerName)
	assert.Equal(t, int64(2), r.QueryID)
	assert.Equal(t, rdvPeer, advert.Text(r.Credential.SelectElement("PeerID")))
	dr, err := protocol.UnflattenAs[*protocol.DiscoveryResponse](r.Response, nil)
	require.NoError(t, err)
	assert.Equal(t, advert.Peers, dr.Type)
	require.Len(t, dr.Responses, 2)
	assert.Equal(t, time.Duration(0), dr.Responses[0].Expiration)
	assert.Equal(t, protocol.DefaultExpiration, dr.Responses[1].Expiration)
	for i, want := range []string{edgePeer, rdvPeer} {
		require.NoError(t, dr.Responses[i].Err)
		assert.Equal(t, want, dr.Responses[i].Adv.ID().String())
		assert.IsType(t, &advert.PeerAdv{}, dr.Responses[i].Adv)
	}

	// The answer to query 1 (Name = jxse-pipe-*): the rendezvous' pipe.
	r = parseCaptured[*protocol.ResolverResponse](t, responses[1])
	assert.Equal(t, int64(1), r.QueryID)
	dr, err = protocol.UnflattenAs[*protocol.DiscoveryResponse](r.Response, nil)
	require.NoError(t, err)
	assert.Equal(t, advert.Adv, dr.Type)
	assert.Equal(t, "Name", dr.Attr)
	assert.Equal(t, "jxse-pipe-*", dr.Value)
	require.Len(t, dr.Responses, 1)
	assert.Equal(t, protocol.DefaultExpiration, dr.Responses[0].Expiration)
	pipeAdv, ok := dr.Responses[0].Adv.(*advert.PipeAdv)
	require.True(t, ok, "%T", dr.Responses[0].Adv)
	assert.Equal(t, "jxse-pipe-alpha", pipeAdv.Name)
	assert.Equal(t, advert.PipeUnicast, pipeAdv.Type)
	assert.Equal(t, "urn:jxta:uuid-59616261646162614E504720503250338C31C5D6EF1F464A84C38B0F23D31F3E04", pipeAdv.PipeID.String())

	// Written back, the nested advertisement is escaped once per level.
	out := string(advert.Marshal(r))
	assert.Contains(t, out, "&amp;lt;Name>jxse-pipe-alpha&amp;lt;/Name>")
	r.Response = protocol.Flatten(dr)
	again := string(advert.Marshal(r))
	assert.Contains(t, again, "&amp;lt;Name>jxse-pipe-alpha&amp;lt;/Name>")
}
