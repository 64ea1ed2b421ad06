package cache_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/cache"
)

// A peer publishes a pipe advertisement in its cache and finds it again by
// name, as the discovery service does for a local query, then by a prefix
// of the name.
func Example() {
	home, err := os.MkdirTemp("", "peer")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(home)

	c, err := cache.Open(filepath.Join(home, "cm.db"), cache.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	group := jxta.NetGroupID
	pipe := advert.NewPipeAdv(group, advert.PipeUnicast, "chat-lobby")
	// Keep it a year here; peers it is sent to may keep it two hours.
	if err := c.Publish(group, pipe, 365*24*time.Hour, 2*time.Hour); err != nil {
		log.Fatal(err)
	}

	for _, value := range []string{"chat-lobby", "chat*", "lobby"} {
		found, err := c.Search(group, advert.Adv, "Name", value, 10)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%q: %d found\n", value, len(found))
		for _, e := range found {
			a, err := e.Advertisement()
			if err != nil {
				log.Fatal(err)
			}
			fmt.Println("  ", a.(*advert.PipeAdv).Name, "remote expiration", e.RemoteExpiration(time.Now()).Round(time.Minute))
		}
	}
	// Output:
	// "chat-lobby": 1 found
	//    chat-lobby remote expiration 2h0m0s
	// "chat*": 1 found
	//    chat-lobby remote expiration 2h0m0s
	// "lobby": 0 found
}
