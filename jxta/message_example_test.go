package jxta_test

import (
	"fmt"

	"github.com/gojxta/gojxta/jxta"
)

func ExampleEncodeBinary() {
	m := new(jxta.Message)
	m.AddString(jxta.NamespaceJXTA, "EndpointSourceAddress", "tcp://10.0.0.2:9701")
	m.AddBytes("", "payload", []byte{1, 2, 3})

	data := jxta.EncodeBinary(m)
	got, err := jxta.DecodeBinary(data, jxta.MessageLimits{MaxSize: jxta.LegacyMaxMessageSize})
	if err != nil {
		panic(err)
	}
	for _, e := range got.Elements() {
		fmt.Printf("%q %s %s %d bytes\n", e.Namespace, e.Name, e.MIMEType(), len(e.Data))
	}
	fmt.Println(len(data), got.Equal(m))
	// Output:
	// "jxta" EndpointSourceAddress text/plain;charset=UTF-8 19 bytes
	// "" payload application/octet-stream 3 bytes
	// 109 true
}

func ExampleDecodeBinary_errors() {
	_, err := jxta.DecodeBinary([]byte("jxmg\x00\x00\x00\x00\x01jxel\x00\x00\x03\xe7abc"), jxta.MessageLimits{})
	fmt.Println(err)
	// Output:
	// message: offset 17: element name length 999 exceeds remaining 3 bytes
}

func ExampleEncodeXMLMessage() {
	m := new(jxta.Message)
	m.AddString(jxta.NamespaceJXTA, "SourceAddress", "tcp://10.0.0.2:9701")
	m.AddBytes("", "stuff", []byte{0, 1, 2, 3})
	fmt.Printf("%s", jxta.EncodeXMLMessage(m))
	// Output:
	// <?xml version="1.0"?>
	// <!DOCTYPE Message>
	// <Message version="0">
	// <Element name="jxta:SourceAddress" mime_type="text/plain;charset=UTF-8">tcp://10.0.0.2:9701</Element>
	// <Element name="stuff" mime_type="application/octet-stream" encoding="base64">AAECAw==</Element>
	// </Message>
}
