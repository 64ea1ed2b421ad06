package advert

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInteropDocumentsParseAndRoundTrip reads every real JXTA document of
// the shared collection, writes it back in both forms and reads that again:
// the typed value and the written bytes must be stable.
func TestInteropDocumentsParseAndRoundTrip(t *testing.T) {
	t.Parallel()
	for _, f := range interop.XMLFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			a, err := Parse(data)
			if filepath.Base(filepath.Dir(f)) == "fragments" {
				// A bare <Svc> is not a document type: it parses as generic.
				require.NoError(t, err)
				assert.IsType(t, &Generic{}, a)
				return
			}
			require.NoError(t, err)
			t.Logf("%T %s %s", a, a.AdvType(), a.ID())
			for _, marshal := range []func(Advertisement) []byte{Marshal, MarshalIndent} {
				out := marshal(a)
				b, err := Parse(out)
				require.NoError(t, err, "%s", out)
				assert.Equal(t, a.AdvType(), b.AdvType())
				assert.Equal(t, a.ID(), b.ID())
				assert.Equal(t, a.IndexFields(), b.IndexFields())
				assert.Equal(t, string(out), string(marshal(b)), "writing is stable")
			}
		})
	}
}
