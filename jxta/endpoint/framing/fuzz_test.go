package framing

import (
	"bufio"
	"bytes"
	"os"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/gojxta/gojxta/jxta"
)

// streams returns the capture streams, for seeds.
func streams(f *testing.F) [][]byte {
	if interop.Locate() == "" {
		return nil
	}
	var out [][]byte
	for _, file := range interop.Files(f, "captures", ".stream") {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// FuzzReadWelcome checks that ReadWelcome never panics and that every line
// it accepts is written back as a line that parses to the same Welcome.
func FuzzReadWelcome(f *testing.F) {
	for _, s := range streams(f) {
		f.Add(s)
	}
	f.Add([]byte("JXTAHELLO a b urn:jxta:jxta-Null 1 1 3.0\r\n"))
	f.Add([]byte("GET / HTTP/1.1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := ReadWelcome(bufio.NewReader(bytes.NewReader(data)))
		if err != nil {
			return
		}
		line := w.AppendLine(nil)
		if len(line) > MaxWelcomeLen+200 { // IDs print canonically, maybe longer
			t.Fatalf("line of %d bytes", len(line))
		}
		again, err := ReadWelcome(bufio.NewReader(bytes.NewReader(line)))
		if err != nil {
			if len(line) > MaxWelcomeLen {
				return
			}
			t.Fatalf("%q written as %q, which does not parse: %v", data, line, err)
		}
		if again.String() != w.String() || again.PeerID != w.PeerID || again.Version != w.Version {
			t.Fatalf("%q -> %+v -> %q -> %+v", data, w, line, again)
		}
	})
}

// FuzzReadPackage checks that ReadPackage never panics, stays within its
// limit, and that every package it reads is written back as one that reads
// the same. Seeded with the capture streams (after their welcome lines).
func FuzzReadPackage(f *testing.F) {
	for _, s := range streams(f) {
		if i := bytes.Index(s, []byte("\r\n")); i >= 0 {
			f.Add(s[i+2:])
		}
	}
	f.Add(AppendPackage(nil, jxta.TypeMessage, []byte("jxmg\x00\x00\x00\x00\x00")))
	f.Fuzz(func(t *testing.T, data []byte) {
		const max = 1 << 16
		r := NewReader(bytes.NewReader(data), max)
		for range 16 {
			ct, body, err := r.ReadPackage()
			if err != nil {
				return
			}
			if len(body) > max {
				t.Fatalf("body of %d bytes", len(body))
			}
			again := NewReader(bytes.NewReader(AppendPackage(nil, ct, body)), max)
			ct2, body2, err := again.ReadPackage()
			if err != nil && len(ct) < MaxHeaderLen-40 {
				t.Fatalf("written back, does not read: %v", err)
			}
			if err == nil && (ct2 != ct || !bytes.Equal(body, body2)) {
				t.Fatalf("written back, reads differently")
			}
		}
	})
}
