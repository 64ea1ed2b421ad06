package framing_test

import (
	"bufio"
	"bytes"
	"fmt"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
)

// A connection carries a welcome line, then message packages.
func Example() {
	peer, _ := jxta.Parse("urn:jxta:uuid-59616261646162614A7874615032503345A8391EC0914B24B264AF31F297A6FD03")
	pid, _ := jxta.AsPeerID(peer)

	m := new(jxta.Message)
	m.AddString(jxta.NamespaceJXTA, "EndpointDestinationAddress", "tcp://10.0.0.1:9701/EndpointService:jxta-NetGroup/EndpointRouter")

	var conn bytes.Buffer
	conn.Write(framing.NewWelcome("tcp://10.0.0.1:9701", "tcp://10.0.0.2:9701", pid).AppendLine(nil))
	_ = framing.WritePackage(&conn, jxta.TypeMessage, jxta.EncodeBinary(m))

	br := bufio.NewReader(&conn)
	w, err := framing.ReadWelcome(br)
	if err != nil {
		panic(err)
	}
	fmt.Println(w.Public, w.IsGoJXTA())

	ct, body, err := framing.NewReader(br, jxta.DefaultMaxMessageSize).ReadPackage()
	if err != nil {
		panic(err)
	}
	got, err := jxta.DecodeBinary(body, jxta.MessageLimits{})
	if err != nil {
		panic(err)
	}
	dest, _ := got.String(jxta.NamespaceJXTA, "EndpointDestinationAddress")
	fmt.Println(ct, dest)
	// Output:
	// tcp://10.0.0.2:9701 true
	// application/x-jxta-msg tcp://10.0.0.1:9701/EndpointService:jxta-NetGroup/EndpointRouter
}
