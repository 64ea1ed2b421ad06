package protocol_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/gojxta/gojxta/jxta/xmldoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSamplesRoundTrip writes one document of every type in both forms
// and reads it back; each validates.
func TestSamplesRoundTrip(t *testing.T) {
	t.Parallel()
	for _, a := range samples(t) {
		t.Run(a.AdvType(), func(t *testing.T) {
			t.Parallel()
			requireRoundTrip(t, a)
			_, err := protocol.Validate(advert.Marshal(a))
			require.NoError(t, err)
			out := string(advert.Marshal(a))
			assert.True(t, strings.HasPrefix(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE "+a.AdvType()+">\n<"+a.AdvType()+" "), out)
		})
	}
}

// TestIDs checks the natural IDs of the documents that have one.
func TestIDs(t *testing.T) {
	t.Parallel()
	for _, a := range samples(t) {
		var want string
		switch a.(type) {
		case *protocol.PipeResolver, *protocol.WireHeader:
			want = pipe.String()
		case *protocol.SRDIMessage, *protocol.LeaseRequest:
			want = alice.String()
		case *protocol.LeaseResponse:
			want = bob.String()
		default:
			want = "urn:jxta:jxta-Null"
		}
		assert.Equal(t, want, a.ID().String(), "%T", a)
		assert.Nil(t, a.IndexFields(), "%T", a)
		assert.Equal(t, advert.Adv, advert.CategoryOf(a))
	}
}

// TestNestedEscaping puts an advertisement in a discovery response in a
// resolver response: each level escapes once more, and reading unescapes
// back to the original values.
func TestNestedEscaping(t *testing.T) {
	t.Parallel()
	name := `a & b <c> "d"`
	adv := &advert.PipeAdv{PipeID: pipe, Type: advert.PipeUnicast, Name: name}
	dr := &protocol.DiscoveryResponse{Type: advert.Adv}
	dr.Add(adv, time.Hour)
	rr := &protocol.ResolverResponse{HandlerName: "h", QueryID: 3, Response: protocol.Flatten(dr)}
	out := string(advert.Marshal(rr))

	assert.Contains(t, protocol.Flatten(adv), `<Name>a &amp; b &lt;c> "d"</Name>`, "level 1")
	assert.Contains(t, protocol.Flatten(dr), `&lt;Name>a &amp;amp; b &amp;lt;c> "d"&lt;/Name>`, "level 2")
	assert.Contains(t, out, `&amp;lt;Name>a &amp;amp;amp; b &amp;amp;lt;c> "d"&amp;lt;/Name>`, "level 3")

	_, err := protocol.Validate([]byte(out))
	require.NoError(t, err)
	back, err := protocol.ParseAs[*protocol.ResolverResponse]([]byte(out))
	require.NoError(t, err)
	inner, err := protocol.UnflattenAs[*protocol.DiscoveryResponse](back.Response, nil)
	require.NoError(t, err)
	require.Len(t, inner.Responses, 1)
	got, ok := inner.Responses[0].Adv.(*advert.PipeAdv)
	require.True(t, ok)
	assert.Equal(t, name, got.Name)
	assert.Equal(t, time.Hour, inner.Responses[0].Expiration)
	assert.Equal(t, protocol.Flatten(adv), inner.Responses[0].Raw)
}

// nest wraps a discovery query in depth-1 resolver responses.
func nest(depth int) []byte {
	var a advert.Advertisement = protocol.NewDiscoveryQuery(advert.Adv, "Name", "x&y")
	for i := 1; i < depth; i++ {
		a = &protocol.ResolverResponse{HandlerName: fmt.Sprint("level", i), Response: protocol.Flatten(a)}
	}
	return advert.Marshal(a)
}

// TestNestingDepth checks that Validate reads flattened documents down to
// MaxNesting levels and stops with an error below that, while Parse reads
// one level only whatever the depth.
func TestNestingDepth(t *testing.T) {
	t.Parallel()
	_, err := protocol.Validate(nest(protocol.MaxNesting))
	require.NoError(t, err, "%d levels are fine", protocol.MaxNesting)

	for _, depth := range []int{protocol.MaxNesting + 1, 40} {
		data := nest(depth)
		a, err := protocol.Parse(data)
		require.NoError(t, err, "Parse leaves the Response as text")
		assert.IsType(t, &protocol.ResolverResponse{}, a)
		_, err = protocol.Validate(data)
		require.Error(t, err, "depth %d", depth)
		assert.Contains(t, err.Error(), fmt.Sprintf("flattened documents nested more than %d deep", protocol.MaxNesting))
	}

	// Discovery responses in discovery responses are not read at all.
	var a advert.Advertisement = &advert.PipeAdv{PipeID: pipe, Type: advert.PipeUnicast}
	for range 30 {
		r := &protocol.DiscoveryResponse{Type: advert.Adv}
		r.Add(a, time.Hour)
		a = r
	}
	data := advert.Marshal(a)
	r, err := protocol.ParseAs[*protocol.DiscoveryResponse](data)
	require.NoError(t, err)
	require.Len(t, r.Responses, 1)
	assert.Nil(t, r.Responses[0].Adv)
	assert.ErrorIs(t, r.Responses[0].Err, advert.ErrWrongType)
	_, err = protocol.Validate(data)
	assert.Error(t, err)
}

// TestLargeFlattenedDocument carries a 1 MB advertisement (well within
// the 4 MB default limit) through two levels of flattening, and checks
// that a registry with a smaller limit refuses it.
func TestLargeFlattenedDocument(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("0123456789 <&> ", (1<<20)/15)
	adv := &advert.PipeAdv{PipeID: pipe, Type: advert.PipeUnicast, Name: "big", Desc: advert.NewText("Desc", big)}
	dr := &protocol.DiscoveryResponse{Type: advert.Adv}
	dr.Add(adv, time.Hour)
	rr := &protocol.ResolverResponse{HandlerName: "h", Response: protocol.Flatten(dr)}
	data := advert.Marshal(rr)
	require.Greater(t, len(data), 1<<20)
	require.Less(t, int64(len(data)), int64(xmldoc.DefaultMaxBytes))

	_, err := protocol.Validate(data)
	require.NoError(t, err)
	r, err := protocol.ParseAs[*protocol.ResolverResponse](data)
	require.NoError(t, err)
	inner, err := protocol.UnflattenAs[*protocol.DiscoveryResponse](r.Response, nil)
	require.NoError(t, err)
	got := inner.Responses[0].Adv.(*advert.PipeAdv)
	assert.Equal(t, big, got.Desc.Text())

	small := protocol.NewRegistry()
	small.Limits.MaxBytes = 512 << 10
	_, err = small.Parse(data)
	assert.ErrorIs(t, err, xmldoc.ErrTooLarge)
	_, err = protocol.Unflatten(r.Response, small)
	assert.ErrorIs(t, err, xmldoc.ErrTooLarge)
	_, err = protocol.ValidateWith(small, data)
	assert.ErrorIs(t, err, xmldoc.ErrTooLarge)
}

// TestFlatten checks the form of a flattened document and reading it.
func TestFlatten(t *testing.T) {
	t.Parallel()
	q := protocol.NewDiscoveryQuery(advert.Peers, "", "")
	text := protocol.Flatten(q)
	assert.Equal(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE jxta:DiscoveryQuery>\n"+
		"<jxta:DiscoveryQuery xml:space=\"preserve\" xmlns:jxta=\"http://jxta.org\">\n<Type>0</Type><Threshold>10</Threshold></jxta:DiscoveryQuery>", text)
	back, err := protocol.UnflattenAs[*protocol.DiscoveryQuery]("\n\t"+text+"\n", nil)
	require.NoError(t, err)
	assert.Equal(t, 10, back.Threshold)

	_, err = protocol.UnflattenAs[*protocol.ResolverQuery](text, nil)
	assert.ErrorIs(t, err, advert.ErrWrongType)
	_, err = protocol.Unflatten("", nil)
	assert.ErrorIs(t, err, xmldoc.ErrNoRoot)
}

// TestRegistry checks that the protocol registry also knows the built-in
// advertisements, and that Register extends another registry.
func TestRegistry(t *testing.T) {
	t.Parallel()
	reg := protocol.NewRegistry()
	for _, typ := range []string{"jxta:PA", "jxta:PipeAdvertisement", "jxta:RA",
		protocol.TypeDiscoveryQuery, protocol.TypeDiscoveryResponse, protocol.TypeResolverQuery, protocol.TypeResolverResponse,
		protocol.TypeResolverSRDI, protocol.TypeSRDI, protocol.TypePropagate, protocol.TypeLeaseRequest, protocol.TypeLeaseResponse,
		protocol.TypePeerInfoQuery, protocol.TypePeerInfoResponse, protocol.TypePipeResolver, protocol.TypeWireHeader, "jxta:JxtaWire"} {
		assert.True(t, reg.Known(typ), typ)
	}
	assert.False(t, advert.NewRegistry().Known(protocol.TypeDiscoveryQuery), "advert's registry is not changed")

	custom := &advert.Registry{}
	protocol.Register(custom)
	a, err := custom.Parse(advert.Marshal(protocol.NewDiscoveryQuery(advert.Groups, "Name", "g*")))
	require.NoError(t, err)
	assert.IsType(t, &protocol.DiscoveryQuery{}, a)
	// Without the built-in advertisements, a discovery response's
	// advertisements read as generic ones.
	dr := &protocol.DiscoveryResponse{Type: advert.Adv}
	dr.Add(&advert.PipeAdv{PipeID: pipe, Type: advert.PipeUnicast}, time.Hour)
	a, err = custom.Parse(advert.Marshal(dr))
	require.NoError(t, err)
	assert.IsType(t, &advert.Generic{}, a.(*protocol.DiscoveryResponse).Responses[0].Adv)
}
