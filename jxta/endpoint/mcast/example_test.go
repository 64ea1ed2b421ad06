package mcast_test

import (
	"context"
	"log"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint/mcast"
)

// A peer announces its advertisement on the LAN and hears the others'.
// (Not run: it needs a network that carries multicast.)
func ExampleStart() {
	self := &advert.PeerAdv{PeerID: jxta.NewPeerID(jxta.NetGroupID), GroupID: jxta.NetGroupID, Name: "alice"}
	if err := self.SetEndpointAddresses([]string{"tcp://192.168.1.20:9701"}); err != nil {
		log.Fatal(err)
	}
	b, err := mcast.Start(context.Background(), mcast.Config{
		Self: func() *advert.PeerAdv { return self },
		OnPeer: func(pa *advert.PeerAdv) {
			log.Printf("found %s at %v", pa.Name, pa.EndpointAddresses())
		},
	})
	if err != nil {
		log.Printf("no LAN discovery: %v", err)
		return
	}
	defer b.Close()
}
