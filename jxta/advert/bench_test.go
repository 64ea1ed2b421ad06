package advert

import (
	"encoding/xml"
	"testing"

	"github.com/gojxta/gojxta/internal/benchratio"
)

// benchPA is a JXSE 2.6 peer advertisement of about 1 KB, in the compact
// form JXSE stores and sends.
const benchPA = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE jxta:PA>
<jxta:PA xml:space="preserve" xmlns:jxta="http://jxta.org">
<PID>urn:jxta:uuid-59616261646162614E50472050325033EC77A62878A542B5BC528B1248F4DA1003</PID><GID>urn:jxta:jxta-NetGroup</GID><Name>worker-17</Name><Desc>Created by NetworkManager</Desc><Svc><MCID>urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000805</MCID><Parm><jxta:RA xml:space="preserve" xmlns:jxta="http://jxta.org"><DstPID>urn:jxta:uuid-59616261646162614E50472050325033EC77A62878A542B5BC528B1248F4DA1003</DstPID><Dst><jxta:APA xmlns:jxta="http://jxta.org" xml:space="preserve"><EA>tcp://[2001:620:618:1a0:1:80b2:a0ef:1]:9701</EA><EA>tcp://128.178.160.239:9701</EA><EA>tcp://[fe80:0:0:0:21e:c2ff:feb1:9f1e%en0]:9701</EA><EA>relay://uuid-59616261646162614E50472050325033EC77A62878A542B5BC528B1248F4DA1003</EA></jxta:APA></Dst></jxta:RA></Parm></Svc><Svc><MCID>urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605</MCID><Parm><Rdv>false</Rdv></Parm></Svc></jxta:PA>
`

// plainPA is the same document as a plain struct for encoding/xml, the
// baseline: the fastest thing a Go program would otherwise do with it.
type plainPA struct {
	XMLName xml.Name `xml:"PA"`
	PID     string   `xml:"PID"`
	GID     string   `xml:"GID"`
	Name    string   `xml:"Name"`
	Desc    string   `xml:"Desc"`
	Svc     []struct {
		MCID string `xml:"MCID"`
		Parm struct {
			Inner []byte `xml:",innerxml"`
		} `xml:"Parm"`
	} `xml:"Svc"`
}

// BenchmarkParsePeerAdv parses a ~1 KB JXSE peer advertisement into its
// typed form, and reports the rate relative to encoding/xml unmarshalling
// the same document into a plain struct in the same run (goal: >= 0.8).
func BenchmarkParsePeerAdv(b *testing.B) {
	data := []byte(benchPA)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	benchratio.Compare(b, "x-encoding/xml",
		func() {
			a, err := Parse(data)
			if err != nil {
				b.Fatal(err)
			}
			if _, ok := a.(*PeerAdv); !ok {
				b.Fatal("not a PA")
			}
		},
		func() {
			var p plainPA
			if err := xml.Unmarshal(data, &p); err != nil {
				b.Fatal(err)
			}
		})
}

// BenchmarkMarshalPeerAdv writes the typed peer advertisement in JXSE's
// compact form, and reports the rate relative to xml.Marshal of the plain
// struct in the same run (goal: >= 1.0).
func BenchmarkMarshalPeerAdv(b *testing.B) {
	data := []byte(benchPA)
	a, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	var p plainPA
	if err := xml.Unmarshal(data, &p); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	benchratio.Compare(b, "x-xml.Marshal",
		func() {
			if len(Marshal(a)) == 0 {
				b.Fatal("empty")
			}
		},
		func() {
			if _, err := xml.Marshal(&p); err != nil {
				b.Fatal(err)
			}
		})
}
