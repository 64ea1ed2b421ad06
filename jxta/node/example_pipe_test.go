package node_test

import (
	"bufio"
	"context"
	"fmt"
	"log"

	"github.com/gojxta/gojxta/jxta/node"
)

// Two peers talk over a bidirectional pipe found by its name: bob listens
// on "chat"; alice, seeded with bob's address, dials it.
func Example_pipe() {
	ctx := context.Background()
	bob, err := node.Start(ctx, node.Config{Name: "bob", Listen: []string{"tcp://127.0.0.1:0"}})
	check(err)
	defer bob.Close()
	l, err := bob.Listen(ctx, "chat")
	check(err)
	go func() {
		c, err := l.Accept()
		check(err)
		defer c.Close()
		line, _ := bufio.NewReader(c).ReadString('\n')
		fmt.Fprintf(c, "bob heard: %s", line)
	}()

	alice, err := node.Start(ctx, node.Config{Name: "alice", Listen: []string{"tcp://127.0.0.1:0"}, Seeds: []string{bob.Addresses()[0].String()}})
	check(err)
	defer alice.Close()
	c, err := alice.Dial(ctx, "chat")
	check(err)
	defer c.Close()
	fmt.Fprintln(c, "hello")
	reply, _ := bufio.NewReader(c).ReadString('\n')
	fmt.Print(reply)
	// Output: bob heard: hello
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
