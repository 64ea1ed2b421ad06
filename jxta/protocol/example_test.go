package protocol_test

import (
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// A discovery query travels flattened inside a resolver query; the
// resolver hands the Query text to the discovery handler, which reads it
// with UnflattenAs.
func Example() {
	src, _ := jxta.ParsePeerID("urn:jxta:uuid-59616261646162614E50472050325033F1A68F7234834877BB5C94BD41B87DE303")
	dq := protocol.NewDiscoveryQuery(advert.Adv, "Name", "jxse-pipe-*")
	rq := &protocol.ResolverQuery{
		HandlerName: "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000305",
		QueryID:     1,
		SrcPeerID:   src,
		Query:       protocol.Flatten(dq),
	}
	wire := advert.Marshal(rq) // the jxta-NetGroupORes message element

	got, err := protocol.ParseAs[*protocol.ResolverQuery](wire)
	if err != nil {
		fmt.Println(err)
		return
	}
	q, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](got.Query, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.HandlerName, got.QueryID)
	fmt.Println(q.Type, q.Threshold, q.Attr, q.Value)
	// Output:
	// urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000305 1
	// Adv 10 Name jxse-pipe-*
}

// A discovery response lists advertisements with the time receivers may
// keep them.
func ExampleDiscoveryResponse() {
	pipeID, _ := jxta.ParsePipeID("urn:jxta:uuid-59616261646162614E504720503250338C31C5D6EF1F464A84C38B0F23D31F3E04")
	resp := &protocol.DiscoveryResponse{Type: advert.Adv, Attr: "Name", Value: "jxse-pipe-*"}
	// Published with the default expiration, 10 minutes left in the cache.
	resp.Add(&advert.PipeAdv{PipeID: pipeID, Type: advert.PipeUnicast, Name: "jxse-pipe-alpha"},
		protocol.ResponseExpiration(10*time.Minute, protocol.DefaultExpiration))

	got, _ := protocol.ParseAs[*protocol.DiscoveryResponse](advert.Marshal(resp))
	for _, r := range got.Responses {
		if r.Err != nil || r.Expiration <= 0 {
			continue // skipped, as JXSE does
		}
		fmt.Println(r.Adv.AdvType(), r.Adv.IndexFields()[0].Value, r.Expiration)
	}
	// Output:
	// jxta:PipeAdvertisement jxse-pipe-alpha 10m0s
}

// Validate also reads the documents flattened inside, which Parse leaves
// as text.
func ExampleValidate() {
	doc := `<jxta:ResolverResponse xmlns:jxta="http://jxta.org">
	<HandlerName>urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000305</HandlerName>
	<Response>&lt;jxta:DiscoveryResponse>&lt;Type>7&lt;/Type>&lt;/jxta:DiscoveryResponse></Response>
</jxta:ResolverResponse>`
	_, err := protocol.Parse([]byte(doc))
	fmt.Println("Parse:", err)
	_, err = protocol.Validate([]byte(doc))
	fmt.Println("Validate:", err)
	// Output:
	// Parse: <nil>
	// Validate: jxta:ResolverResponse line 3: <Response>: embedded document: jxta:DiscoveryResponse line 1: <Type>: invalid value: 7 is not a discovery type (0 peers, 1 groups, 2 other advertisements)
}
