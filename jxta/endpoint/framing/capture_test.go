package framing

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The capture listing (interop/captures/listing.txt) decodes every message
// of the two data streams:
//
//	== edge_to_rdv.stream
//	WELCOME JXTAHELLO ...
//	 MSG hdr=['content-length', 'content-type'] type=application/x-jxta-msg len=1037 v0 nstable=[]
//	   jxta:Connect [text/xml;charset=UTF-8] 670 b'<?xml ...'
type listedStream struct {
	welcome string
	msgs    []listedMsg
}

type listedMsg struct {
	headers     []string
	contentType string
	length      int
	version     int
	elements    []listedElement
}

type listedElement struct {
	ns, name, typ string
	length        int
}

var (
	listStream  = regexp.MustCompile(`^== (\S+)$`)
	listWelcome = regexp.MustCompile(`^WELCOME (.*)$`)
	listMsg     = regexp.MustCompile(`^ MSG hdr=\[(.*)\] type=(\S+) len=(\d+) v(\d+) nstable=\[(.*)\]$`)
	listElement = regexp.MustCompile(`^   (\S*) \[(.*)\] (\d+) b['"]`)
)

func parseListing(t *testing.T) map[string]*listedStream {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(interop.Dir(t), "captures", "listing.txt"))
	require.NoError(t, err)
	streams := map[string]*listedStream{}
	var cur *listedStream
	atoi := func(s string) int {
		n, err := strconv.Atoi(s)
		require.NoError(t, err)
		return n
	}
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case listStream.MatchString(line):
			cur = &listedStream{}
			streams[listStream.FindStringSubmatch(line)[1]] = cur
		case listWelcome.MatchString(line):
			cur.welcome = listWelcome.FindStringSubmatch(line)[1]
		case listMsg.MatchString(line):
			m := listMsg.FindStringSubmatch(line)
			var hdrs []string
			for _, h := range strings.Split(m[1], ",") {
				hdrs = append(hdrs, strings.Trim(h, " '"))
			}
			require.Empty(t, m[5], "the capture's messages have empty namespace tables")
			cur.msgs = append(cur.msgs, listedMsg{headers: hdrs, contentType: m[2], length: atoi(m[3]), version: atoi(m[4])})
		case listElement.MatchString(line):
			m := listElement.FindStringSubmatch(line)
			ns, name, _ := strings.Cut(m[1], ":")
			msg := &cur.msgs[len(cur.msgs)-1]
			msg.elements = append(msg.elements, listedElement{ns, name, m[2], atoi(m[3])})
		case strings.TrimSpace(line) != "":
			t.Fatalf("unexpected listing line %q", line)
		}
	}
	return streams
}

// TestCaptureStreams reads the two JXSE 2.6 data streams: the welcome line,
// then every message package, checked against the listing. Each message
// re-encodes to the same bytes, and the whole stream rebuilt from the
// decoded values equals the capture byte for byte: our welcome line,
// package header and binary message writers agree with JXSE's.
func TestCaptureStreams(t *testing.T) {
	t.Parallel()
	listing := parseListing(t)
	for _, name := range []string{"edge_to_rdv.stream", "rdv_to_edge.stream"} {
		t.Run(name, func(t *testing.T) {
			want := listing[name]
			require.NotNil(t, want, "listing has %s", name)
			raw, err := os.ReadFile(filepath.Join(interop.Dir(t), "captures", name))
			require.NoError(t, err)
			br := bufio.NewReader(bytes.NewReader(raw))
			w, err := ReadWelcome(br)
			require.NoError(t, err)
			assert.Equal(t, want.welcome, w.String())
			assert.Equal(t, WelcomeVersion11, w.Version)
			assert.False(t, w.IsGoJXTA())
			assert.Equal(t, jxta.KindPeer, w.PeerID.Kind())
			rebuilt := w.AppendLine(nil)

			r := NewReader(br, jxta.LegacyMaxMessageSize)
			for i, lm := range want.msgs {
				ct, body, err := r.ReadPackage()
				require.NoError(t, err, "package %d", i)
				assert.Equal(t, lm.contentType, ct)
				assert.Equal(t, []string{contentLength, contentType}, lm.headers, "the order AppendPackage writes")
				require.Len(t, body, lm.length)
				require.Equal(t, byte(lm.version), body[4])
				m, err := jxta.DecodeBinary(body, jxta.MessageLimits{MaxSize: jxta.LegacyMaxMessageSize})
				require.NoError(t, err, "package %d", i)
				var got []listedElement
				for _, e := range m.Elements() {
					got = append(got, listedElement{e.Namespace, e.Name, e.MIMEType(), len(e.Data)})
				}
				assert.Equal(t, lm.elements, got, "package %d", i)
				again := jxta.EncodeBinary(m)
				assert.Equal(t, body, again, "package %d re-encodes byte for byte", i)
				rebuilt = AppendPackage(rebuilt, ct, again)
			}
			_, _, err = r.ReadPackage()
			assert.ErrorIs(t, err, io.EOF)
			assert.Equal(t, raw, rebuilt, "the stream rebuilt from decoded values")
		})
	}
}

// TestCaptureWelcomeOnly parses the welcome lines sent back on each
// connection and writes them back byte for byte.
func TestCaptureWelcomeOnly(t *testing.T) {
	t.Parallel()
	files := interop.Files(t, "captures", "_welcome_only.stream")
	require.Len(t, files, 2)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		br := bufio.NewReader(bytes.NewReader(raw))
		w, err := ReadWelcome(br)
		require.NoError(t, err, f)
		assert.Regexp(t, `^tcp://127\.0\.0\.1:\d+$`, w.Dest)
		assert.Regexp(t, `^tcp://127\.0\.0\.1:97(11|12)$`, w.Public)
		assert.False(t, w.NoPropagate)
		assert.Equal(t, WelcomeVersion11, w.Version)
		assert.Nil(t, w.Extra)
		assert.Equal(t, raw, w.AppendLine(nil))
		_, err = br.ReadByte()
		assert.ErrorIs(t, err, io.EOF, "nothing follows the welcome line")
	}
}
