package protocol_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/gojxta/gojxta/jxta/xmldoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// doc wraps children in a root element declaring xmlns:jxta.
func doc(root, attrs, children string) string {
	return `<` + root + ` xmlns:jxta="http://jxta.org"` + attrs + `>` + children + `</` + root + `>`
}

const (
	peerA   = "urn:jxta:uuid-59616261646162614E50472050325033F1A68F7234834877BB5C94BD41B87DE303"
	peerB   = "urn:jxta:uuid-59616261646162614E50472050325033E480A6AFB47A4FCB83C4F8E937CC274D03"
	pipeA   = "urn:jxta:uuid-59616261646162614E504720503250338C31C5D6EF1F464A84C38B0F23D31F3E04"
	handler = "<HandlerName>urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000305</HandlerName>"
	query   = "<Query>&lt;jxta:DiscoveryQuery>&lt;Type>0&lt;/Type>&lt;/jxta:DiscoveryQuery></Query>"
	routeA  = `<SrcPeerRoute><jxta:RA><DstPID>` + peerA + `</DstPID><Dst><jxta:APA><EA>tcp://a:1</EA></jxta:APA></Dst></jxta:RA></SrcPeerRoute>`
	paA     = `<jxta:PA xmlns:jxta="http://jxta.org"><PID>` + peerA + `</PID><GID>urn:jxta:jxta-NetGroup</GID></jxta:PA>`
	paB     = `<jxta:PA xmlns:jxta="http://jxta.org"><PID>` + peerB + `</PID><GID>urn:jxta:jxta-NetGroup</GID></jxta:PA>`
)

func dq(children string) string { return doc("jxta:DiscoveryQuery", "", children) }
func dr(children string) string { return doc("jxta:DiscoveryResponse", "", children) }
func rq(children string) string { return doc("jxta:ResolverQuery", "", children) }
func pr(children string) string { return doc("jxta:PipeResolver", "", children) }
func rp(children string) string { return doc("jxta:RendezVousPropagateMessage", "", children) }

// escape escapes text once, as a writer does.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(s)
}

// TestBadDocuments feeds documents that break the protocol rules: each
// must give an error that names the problem (and never a panic).
func TestBadDocuments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		want      string // in the error message
		is        error  // wrapped by the error, if not nil
	}{
		{"query: unknown Type", dq("<Type>7</Type>"), "<Type>: invalid value: 7 is not a discovery type", advert.ErrInvalid},
		{"query: Type not a number", dq("<Type>peers</Type>"), `"peers" is not an integer`, advert.ErrInvalid},
		{"query: no Type", dq("<Threshold>5</Threshold>"), "missing required element <Type>", advert.ErrMissing},
		{"query: empty Type", dq("<Type> </Type>"), "missing required element <Type>", advert.ErrMissing},
		{"query: negative threshold", dq("<Type>2</Type><Threshold>-1</Threshold>"), "<Threshold>: invalid value: threshold -1 is negative", advert.ErrInvalid},
		{"query: threshold 0 for advertisements", dq("<Type>2</Type><Threshold>0</Threshold>"), "threshold 0 is only allowed in peer queries", advert.ErrInvalid},
		{"query: huge threshold", dq("<Type>0</Type><Threshold>99999999999</Threshold>"), "out of range", advert.ErrInvalid},
		{"query: Value without Attr", dq("<Type>2</Type><Value>chat*</Value>"), `<Value>: invalid value: Value "chat*" without Attr`, advert.ErrInvalid},
		{"query: Value with empty Attr", dq("<Type>2</Type><Attr> </Attr><Value>x</Value>"), "without Attr", advert.ErrInvalid},
		{"response: no Type", dr("<Count>0</Count>"), "missing required element <Type>", advert.ErrMissing},
		{"response: Type 3", dr("<Type>3</Type>"), "3 is not a discovery type", advert.ErrInvalid},
		{"response: bad Expiration", dr(`<Type>0</Type><Response Expiration="soon">` + escape(paA) + `</Response>`), `attribute Expiration: invalid value: "soon" is not an integer`, advert.ErrInvalid},
		{"response: huge Expiration", dr(`<Type>0</Type><Response Expiration="99999999999999999999">` + escape(paA) + `</Response>`), "attribute Expiration: invalid value: 99999999999999999999 is out of range", advert.ErrInvalid},
		{"resolver query: huge QueryID", rq(handler + "<QueryID>99999999999999999999</QueryID><SrcPeerID>" + peerA + "</SrcPeerID>" + query), "<QueryID>: invalid value: 99999999999999999999 is out of range", advert.ErrInvalid},
		{"resolver query: QueryID not a number", rq(handler + "<QueryID>0x10</QueryID><SrcPeerID>" + peerA + "</SrcPeerID>" + query), `"0x10" is not an integer`, advert.ErrInvalid},
		{"resolver query: forged hop count", rq(handler + "<HC>-1</HC><SrcPeerID>" + peerA + "</SrcPeerID>" + query), "<HC>: invalid value: hop count -1 is negative", advert.ErrInvalid},
		{"resolver query: hop count overflow", rq(handler + "<HC>2147483648</HC><SrcPeerID>" + peerA + "</SrcPeerID>" + query), "out of range", advert.ErrInvalid},
		{"resolver query: no handler", rq("<SrcPeerID>" + peerA + "</SrcPeerID>" + query), "missing required element <HandlerName>", advert.ErrMissing},
		{"resolver query: no query", rq(handler + "<SrcPeerID>" + peerA + "</SrcPeerID><Query/>"), "missing required element <Query>", advert.ErrMissing},
		{"resolver query: no source", rq(handler + query), "missing required element <SrcPeerID>", advert.ErrMissing},
		{"resolver query: source is a pipe", rq(handler + "<SrcPeerID>" + pipeA + "</SrcPeerID>" + query), "is a pipe ID, want a peer ID", jxta.ErrWrongKind},
		{"resolver query: source and route disagree", rq(handler + "<SrcPeerID>" + peerB + "</SrcPeerID>" + routeA + query), "is not the destination", advert.ErrInvalid},
		{"resolver query: bad route", rq(handler + `<SrcPeerRoute><jxta:RA><DstPID>urn:jxta:uuid-XYZ</DstPID></jxta:RA></SrcPeerRoute>` + query), "jxta:RA", jxta.ErrBadID},
		{"resolver response: no response", doc("jxta:ResolverResponse", "", handler+"<QueryID>1</QueryID>"), "missing required element <Response>", advert.ErrMissing},
		{"resolver SRDI: no payload", doc("jxta:ResolverSRDI", "", handler), "missing required element <Payload>", advert.ErrMissing},
		{"SRDI: no PID", doc("jxta:GenSRDI", "", "<PKey>Peers</PKey>"), "missing required element <PID>", advert.ErrMissing},
		{"SRDI: no PKey", doc("jxta:GenSRDI", "", "<PID>"+peerA+"</PID>"), "missing required element <PKey>", advert.ErrMissing},
		{"SRDI: negative ttl", doc("jxta:GenSRDI", "", "<PID>"+peerA+"</PID><PKey>Peers</PKey><ttl>-2</ttl>"), "-2 is negative", advert.ErrInvalid},
		{"SRDI: bad expiration", doc("jxta:GenSRDI", "", "<PID>"+peerA+`</PID><PKey>Peers</PKey><Entry Expiration="never">v</Entry>`), `attribute Expiration: invalid value: "never"`, advert.ErrInvalid},
		{"propagate: no path", rp("<MessageId>1</MessageId><DestSName>svc</DestSName><TTL>3</TTL>"), "missing required element <Path>", advert.ErrMissing},
		{"propagate: no service", rp("<MessageId>1</MessageId><TTL>3</TTL><Path>" + peerA + "</Path>"), "missing required element <DestSName>", advert.ErrMissing},
		{"propagate: no TTL", rp("<MessageId>1</MessageId><DestSName>svc</DestSName><Path>" + peerA + "</Path>"), "missing required element <TTL>", advert.ErrMissing},
		{"propagate: negative TTL", rp("<MessageId>1</MessageId><DestSName>svc</DestSName><TTL>-5</TTL><Path>" + peerA + "</Path>"), "-5 is negative", advert.ErrInvalid},
		{"propagate: no message ID", rp("<DestSName>svc</DestSName><TTL>5</TTL><Path>" + peerA + "</Path>"), "missing required element <MessageId>", advert.ErrMissing},
		{"propagate: path not a peer", rp("<MessageId>1</MessageId><DestSName>svc</DestSName><TTL>3</TTL><Path>urn:jxta:jxta-Null</Path>"), "a peer ID is required", advert.ErrInvalid},
		{"pipe: unknown message type", pr("<MsgType>Ask</MsgType><PipeId>" + pipeA + "</PipeId><Type>JxtaUnicast</Type>"), `message type "Ask", want Query or Answer`, advert.ErrInvalid},
		{"pipe: answer without peers", pr("<MsgType>Answer</MsgType><PipeId>" + pipeA + "</PipeId><Type>JxtaUnicast</Type><Found>true</Found>"), "an answer without any <Peer>", advert.ErrInvalid},
		{"pipe: no pipe ID", pr("<MsgType>Query</MsgType><Type>JxtaUnicast</Type>"), "missing required element <PipeId>", advert.ErrMissing},
		{"pipe: pipe ID is a peer", pr("<MsgType>Query</MsgType><PipeId>" + peerA + "</PipeId><Type>JxtaUnicast</Type>"), "want a pipe ID", jxta.ErrWrongKind},
		{"pipe: no type", pr("<MsgType>Query</MsgType><PipeId>" + pipeA + "</PipeId>"), "missing required element <Type>", advert.ErrMissing},
		{"wire: TTL 0", `<JxtaWire><PipeId>` + pipeA + `</PipeId><MsgId>x</MsgId><TTL>0</TTL></JxtaWire>`, "TTL 0, must be at least 1", advert.ErrInvalid},
		{"wire: no message ID", `<jxta:JxtaWire><PipeId>` + pipeA + `</PipeId><TTL>1</TTL></jxta:JxtaWire>`, "missing required element <MsgId>", advert.ErrMissing},
		{"peer info: no target", doc("jxta:PeerInfoQueryMessage", "", "<sourcePid>"+peerA+"</sourcePid>"), "missing required element <targetPid>", advert.ErrMissing},
		{"peer info: negative uptime", doc("jxta:PeerInfoResponseMessage", "", "<sourcePid>"+peerA+"</sourcePid><targetPid>"+peerB+"</targetPid><uptime>-1</uptime>"), "-1 is negative", advert.ErrInvalid},
		{"lease request: no client", doc("jxta:LeaseRequest", ` requested_lease="10"`, ""), "missing required attribute client_id", protocol.ErrMissingAttr},
		{"lease request: bad lease", doc("jxta:LeaseRequest", ` client_id="`+peerA+`" requested_lease="-7"`, ""), "attribute requested_lease: invalid value: -7 is out of range", advert.ErrInvalid},
		{"lease request: someone else's PA", doc("jxta:LeaseRequest", ` client_id="`+peerA+`"`, `<ClientAdv type="jxta:PA" expiration="100"><PID>`+peerB+`</PID></ClientAdv>`), "in a lease request from", advert.ErrInvalid},
		{"lease request: PA without expiration", doc("jxta:LeaseRequest", ` client_id="`+peerA+`"`, `<ClientAdv type="jxta:PA"><PID>`+peerA+`</PID></ClientAdv>`), "needs a positive expiration", advert.ErrInvalid},
		{"lease request: adv not a PA", doc("jxta:LeaseRequest", ` client_id="`+peerA+`"`, `<ClientAdv type="jxta:RA"/>`), `type "jxta:RA", want a peer advertisement`, advert.ErrInvalid},
		{"lease response: no server", doc("jxta:LeaseResponse", ` offered_lease="10"`, ""), "missing required attribute server_id", protocol.ErrMissingAttr},
		{"not XML", "<jxta:DiscoveryQuery><Type>0</Type>", "document ends inside <jxta:DiscoveryQuery>", nil},
		{"too large", dq("<Type>0</Type><Attr>" + strings.Repeat("x", xmldoc.DefaultMaxBytes) + "</Attr>"), "more than the limit", xmldoc.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := protocol.Parse([]byte(tt.doc))
			require.Error(t, err, "read as %s", describeOrNil(a))
			assert.Contains(t, err.Error(), tt.want)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			var ae *advert.Error
			assert.True(t, errors.As(err, &ae), "an *advert.Error: %v", err)
			_, verr := protocol.Validate([]byte(tt.doc))
			assert.Error(t, verr)
		})
	}
}

func describeOrNil(a advert.Advertisement) string {
	if a == nil {
		return "nil"
	}
	return describe(a)
}

// TestTolerated checks what Parse accepts and Validate refuses: flattened
// documents that cannot be read in places where JXSE would skip them or
// where they do not matter.
func TestTolerated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		check     func(t *testing.T, a advert.Advertisement)
		want      string // in Validate's error
	}{
		{"query: unreadable PeerAdv", dq("<Type>0</Type><PeerAdv>&lt;jxta:PA>&lt;PID>garbage&lt;/PID>&lt;/jxta:PA></PeerAdv>"),
			func(t *testing.T, a advert.Advertisement) {
				q := a.(*protocol.DiscoveryQuery)
				assert.Nil(t, q.PeerAdv)
				require.Error(t, q.PeerAdvErr)
				assert.Contains(t, q.PeerAdvErr.Error(), "jxta:DiscoveryQuery: <PeerAdv>: flattened document: jxta:PA")
				require.Len(t, q.Elements, 1, "kept to be written back")
				assert.Contains(t, string(advert.Marshal(q)), "<PeerAdv>&lt;jxta:PA>&lt;PID>garbage&lt;/PID>&lt;/jxta:PA></PeerAdv>")
			}, "jxta:PA"},
		{"query: PeerAdv not a PA", dq("<Type>0</Type><PeerAdv>" + escape(doc("jxta:PipeAdvertisement", "", "<Id>"+pipeA+"</Id><Type>JxtaUnicast</Type>")) + "</PeerAdv>"),
			func(t *testing.T, a advert.Advertisement) {
				q := a.(*protocol.DiscoveryQuery)
				assert.ErrorIs(t, q.PeerAdvErr, advert.ErrWrongType)
			}, "want a peer advertisement (jxta:PA)"},
		{"query: PeerAdv as an element tree", dq("<Type>0</Type><PeerAdv>" + paA + "</PeerAdv>"),
			func(t *testing.T, a advert.Advertisement) {
				assert.ErrorContains(t, a.(*protocol.DiscoveryQuery).PeerAdvErr, "an element tree where a flattened document")
			}, "an element tree where a flattened document"},
		{"response: one bad advertisement", dr(`<Type>0</Type><Response Expiration="5">` + escape(paA) + `</Response><Response>&lt;jxta:PA>&lt;/jxta:PA></Response><Response> </Response>`),
			func(t *testing.T, a advert.Advertisement) {
				r := a.(*protocol.DiscoveryResponse)
				require.Len(t, r.Responses, 2, "the empty response is dropped")
				assert.NoError(t, r.Responses[0].Err)
				assert.Equal(t, peerA, r.Responses[0].Adv.ID().String())
				assert.Nil(t, r.Responses[1].Adv)
				assert.Equal(t, "<jxta:PA></jxta:PA>", r.Responses[1].Raw)
				assert.Equal(t, protocol.DefaultExpiration, r.Responses[1].Expiration, "no Expiration: 2 hours")
				assert.ErrorContains(t, r.Responses[1].Err, "jxta:DiscoveryResponse: <Response>: flattened document 2: jxta:PA")
				assert.Contains(t, string(advert.Marshal(r)), `<Count>2</Count>`)
			}, "missing required element <PID>"},
		{"response: a protocol document as advertisement", dr(`<Type>2</Type><Response>` + escape(dr("<Type>2</Type>")) + `</Response>`),
			func(t *testing.T, a advert.Advertisement) {
				r := a.(*protocol.DiscoveryResponse)
				require.Len(t, r.Responses, 1)
				assert.ErrorIs(t, r.Responses[0].Err, advert.ErrWrongType)
			}, "a protocol document where an advertisement is expected"},
		{"pipe answer: unreadable PeerAdv", pr("<MsgType>Answer</MsgType><PipeId>" + pipeA + "</PipeId><Type>JxtaUnicast</Type><Peer>" + peerA + "</Peer><PeerAdv>&lt;oops</PeerAdv>"),
			func(t *testing.T, a advert.Advertisement) {
				p := a.(*protocol.PipeResolver)
				assert.Nil(t, p.PeerAdv)
				assert.Error(t, p.PeerAdvErr)
			}, "<PeerAdv>"},
		{"resolver query: unreadable query", rq(handler + "<SrcPeerID>" + peerA + "</SrcPeerID><Query>not a document</Query>"),
			func(t *testing.T, a advert.Advertisement) {
				assert.Equal(t, "not a document", a.(*protocol.ResolverQuery).Query)
			}, "<Query>: flattened document: document: line 1: text outside the root element"},
		{"resolver SRDI: payload not GenSRDI", doc("jxta:ResolverSRDI", "", handler+"<Payload>"+escape(paA)+"</Payload>"),
			func(t *testing.T, a advert.Advertisement) {}, "wrong document type: want *protocol.SRDIMessage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := protocol.Parse([]byte(tt.doc))
			require.NoError(t, err)
			tt.check(t, a)
			_, err = protocol.Validate([]byte(tt.doc))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			requireRoundTrip(t, a)
		})
	}
}

// TestReadingRules checks JXSE's reading rules beyond errors.
func TestReadingRules(t *testing.T) {
	t.Parallel()
	t.Run("query defaults", func(t *testing.T) {
		t.Parallel()
		q, err := protocol.ParseAs[*protocol.DiscoveryQuery]([]byte(dq("<Type>1</Type><Attr/><Value/><PeerAdv/>")))
		require.NoError(t, err)
		assert.Equal(t, protocol.DefaultThreshold, q.Threshold, "no Threshold: the default")
		assert.Empty(t, q.Attr)
		assert.Empty(t, q.Elements, "empty elements are ignored, not kept")
		q, err = protocol.ParseAs[*protocol.DiscoveryQuery]([]byte(dq("<Type>0</Type><Threshold>0</Threshold><Attr>Name</Attr>")))
		require.NoError(t, err, "threshold 0 in a peer query: own PA only")
		assert.Equal(t, 0, q.Threshold)
		assert.Equal(t, "Name", q.Attr, "Attr without Value is allowed")
		assert.NotContains(t, string(advert.Marshal(q)), "<Value", "and written without Value")
	})
	t.Run("resolver query source from route", func(t *testing.T) {
		t.Parallel()
		q, err := protocol.ParseAs[*protocol.ResolverQuery]([]byte(rq(handler + routeA + query)))
		require.NoError(t, err)
		assert.Equal(t, peerA, q.SrcPeerID.String())
		assert.Contains(t, string(advert.Marshal(q)), "<SrcPeerID>"+peerA+"</SrcPeerID>", "written as JXSE does")
	})
	t.Run("resolver query route without destination", func(t *testing.T) {
		t.Parallel()
		q, err := protocol.ParseAs[*protocol.ResolverQuery]([]byte(rq(handler + "<SrcPeerID>" + peerA + "</SrcPeerID><SrcPeerRoute><jxta:RA><Dst><jxta:APA/></Dst></jxta:RA></SrcPeerRoute>" + query)))
		require.NoError(t, err)
		assert.Nil(t, q.SrcPeerRoute, "ignored as JXSE does")
		require.Len(t, q.Elements, 1, "and kept")
	})
	t.Run("old JXTA-C credential", func(t *testing.T) {
		t.Parallel()
		q, err := protocol.ParseAs[*protocol.ResolverQuery]([]byte(rq(handler + "<Credential>JXTACRED</Credential><SrcPeerID>" + peerA + "</SrcPeerID>" + query)))
		require.NoError(t, err)
		require.NotNil(t, q.Credential)
		assert.Equal(t, "Credential", q.Credential.Tag)
		assert.Contains(t, string(advert.Marshal(q)), "<Credential>JXTACRED</Credential>")
	})
	t.Run("propagate message IDs", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct{ id, key string }{
			{"00000001-0000-1000-8191-F5A7778D6162", "00000001-0000-1000-8191-f5a7778d6162"},
			{"1011828513063", "1011828513063"},
			{"any old string", "any old string"},
		} {
			m, err := protocol.ParseAs[*protocol.RendezVousPropagateMessage]([]byte(rp("<MessageId>" + tt.id + "</MessageId><DestSName>svc</DestSName><TTL>0</TTL><Path>" + peerA + "</Path>")))
			require.NoError(t, err)
			assert.Equal(t, tt.id, m.MessageID)
			assert.Equal(t, tt.key, m.DuplicateKey())
		}
		assert.Len(t, protocol.NewMessageID(), 36)
	})
	t.Run("pipe resolver", func(t *testing.T) {
		t.Parallel()
		p, err := protocol.ParseAs[*protocol.PipeResolver]([]byte(pr("<MsgType>Answer</MsgType><PipeId>" + pipeA + "</PipeId><Type>JxtaPropagate</Type><Cached>true</Cached><Peer>" + peerA + "</Peer><Found>TRUE</Found><PeerAdv>" + escape(paA) + "</PeerAdv>")))
		require.NoError(t, err)
		assert.True(t, p.Found, "Boolean.valueOf ignores case")
		require.NotNil(t, p.PeerAdv)
		assert.Equal(t, peerA, p.PeerAdv.PeerID.String())
		assert.Empty(t, p.Elements, "Cached is dropped")
		assert.NotContains(t, string(advert.Marshal(p)), "Cached")
	})
	t.Run("wire header with prefix", func(t *testing.T) {
		t.Parallel()
		h, err := protocol.ParseAs[*protocol.WireHeader]([]byte(`<jxta:JxtaWire xmlns:jxta="http://jxta.org"><SrcPeer>` + peerA + `</SrcPeer><PipeId>` + pipeA + `</PipeId><MsgId>m1</MsgId><TTL>2</TTL><VisitedPeer>` + peerB + `</VisitedPeer></jxta:JxtaWire>`))
		require.NoError(t, err)
		assert.Equal(t, peerA, h.SrcPeer.String())
		assert.Equal(t, []jxta.PeerID{mustPeer(peerB)}, h.VisitedPeers)
		out := string(advert.Marshal(h))
		assert.True(t, strings.HasPrefix(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE JxtaWire>\n<JxtaWire xml:space=\"preserve\" xmlns:jxta=\"http://jxta.org\">"), out)
	})
	t.Run("SRDI entry defaults", func(t *testing.T) {
		t.Parallel()
		m, err := protocol.ParseAs[*protocol.SRDIMessage]([]byte(doc("jxta:GenSRDI", "", "<PID>"+peerA+"</PID><PKey>Peers</PKey><Entry>v</Entry>")))
		require.NoError(t, err)
		assert.Equal(t, []protocol.SRDIEntry{{SKey: "NA", Value: "v"}}, m.Entries)
		assert.Contains(t, string(advert.Marshal(m)), `<Entry Expiration="0" SKey="NA">v</Entry>`)
		assert.NotContains(t, string(advert.Marshal(m)), "<ttl>", "scope 0 is not written")
	})
	t.Run("lease response", func(t *testing.T) {
		t.Parallel()
		r, err := protocol.ParseAs[*protocol.LeaseResponse]([]byte(`<jxta:LeaseResponse server_id="` + peerB + `" offered_lease="-1">
 <ServerAdv type="jxta:PA" adv_gen="2b84b57c-28dc-11db-a34f-0011d858b975" expiration="9223372036854775807" extra="kept"><PID>` + peerB + `</PID><GID>urn:jxta:jxta-NetGroup</GID><Name>rdv</Name></ServerAdv>
 <ReferralAdv type="jxta:PA" expiration="60000"><PID>` + peerA + `</PID></ReferralAdv>
</jxta:LeaseResponse>`))
		require.NoError(t, err)
		assert.Equal(t, peerB, r.ServerID.String())
		assert.Zero(t, r.OfferedLease, "-1: not specified")
		require.NotNil(t, r.Server)
		assert.Equal(t, "rdv", r.Server.Adv.Name)
		assert.Equal(t, "2b84b57c-28dc-11db-a34f-0011d858b975", r.Server.Gen)
		assert.Equal(t, protocol.Forever, r.Server.Expiration)
		assert.Equal(t, []xmldoc.Attr{{Key: "extra", Value: "kept"}}, r.Server.Adv.Attrs)
		require.Len(t, r.Referrals, 1)
		assert.Equal(t, peerA, r.Referrals[0].Adv.PeerID.String())
		out := string(advert.Marshal(r))
		assert.Contains(t, out, `<ServerAdv type="jxta:PA" adv_gen="2b84b57c-28dc-11db-a34f-0011d858b975" expiration="9223372036854775807" extra="kept"><PID>`)
		requireRoundTrip(t, r)
	})
}
