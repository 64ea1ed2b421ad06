package protocol

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
)

func TestDumpTmp(t *testing.T) {
	for _, name := range []string{"edge_to_rdv.stream", "rdv_to_edge.stream"} {
		raw, _ := os.ReadFile("/work/shared/interop/captures/" + name)
		br := bufio.NewReader(bytes.NewReader(raw))
		_, err := framing.ReadWelcome(br)
		if err != nil { t.Fatal(err) }
		r := framing.NewReader(br, jxta.LegacyMaxMessageSize)
		for {
			_, body, err := r.ReadPackage()
			if err != nil { break }
			m, err := jxta.DecodeBinary(body, jxta.MessageLimits{MaxSize: jxta.LegacyMaxMessageSize})
			if err != nil { t.Fatal(err) }
			for _, e := range m.Elements() {
				fmt.Printf("==== %s %s:%s\n%s\n", name, e.Namespace, e.Name, e.Data)
			}
		}
	}
}
