package node_test

import (
	"context"
	"fmt"
	"log"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/node"
)

// Two peers in one program: bob answers messages sent to his "greet"
// service; alice finds him through her seed and sends him one.
func Example() {
	ctx := context.Background()
	bob, err := node.Start(ctx, node.Config{Name: "bob", Listen: []string{"tcp://127.0.0.1:0"}})
	if err != nil {
		log.Fatal(err)
	}
	defer bob.Close()
	got := make(chan string)
	bob.Handle("greet", "", endpoint.HandlerFunc(func(in *endpoint.Incoming) {
		text, _ := in.Message.String("", "text")
		got <- text
	}))

	alice, err := node.Start(ctx, node.Config{Name: "alice", Listen: []string{"tcp://127.0.0.1:0"}})
	if err != nil {
		log.Fatal(err)
	}
	defer alice.Close()
	bobID, err := alice.Endpoint().Connect(ctx, bob.Addresses()[0]) // or Config.Seeds
	if err != nil {
		log.Fatal(err)
	}

	msg := jxta.NewMessage()
	msg.AddString("", "text", "hello, bob")
	if err := alice.Send(ctx, bobID, "greet", "", msg); err != nil {
		log.Fatal(err)
	}
	fmt.Println(<-got)
	// Output: hello, bob
}
