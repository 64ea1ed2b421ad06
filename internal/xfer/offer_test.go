package xfer_test

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/xfer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleOffer() xfer.Offer {
	return xfer.Offer{Name: "report 2024.pdf", Size: 52428800, SHA256: sha256.Sum256([]byte("x")), Sender: "alice"}
}

func readOffer(text string) (xfer.Offer, error) {
	return xfer.ReadOffer(bufio.NewReader(strings.NewReader(text)))
}

func TestOfferRoundTrip(t *testing.T) {
	t.Parallel()
	o := sampleOffer()
	require.NoError(t, o.Check())
	text := string(o.Marshal())
	assert.Equal(t, "gojxta-xfer/1\nname report 2024.pdf\nsize 52428800\nsha256 "+o.Hash()+"\nsender alice\n\n", text)
	got, err := readOffer(text + "trailing data is the file's")
	require.NoError(t, err)
	assert.Equal(t, o, got)
}

func TestReadOfferIgnoresUnknownKeys(t *testing.T) {
	t.Parallel()
	o := sampleOffer()
	text := strings.Replace(string(o.Marshal()), "\nsender", "\nmode 0644\nsender", 1)
	got, err := readOffer(text)
	require.NoError(t, err)
	assert.Equal(t, o, got)
}

func TestReadOfferRefusesBadOffers(t *testing.T) {
	t.Parallel()
	good := string(sampleOffer().Marshal())
	hash := sampleOffer().Hash()
	tests := []struct {
		name, text, want string
	}{
		{"another protocol", strings.Replace(good, "gojxta-xfer/1", "gojxta-xfer/2", 1), "not a gojxta-xfer/1 offer"},
		{"no name", strings.Replace(good, "name report 2024.pdf\n", "", 1), "no name"},
		{"repeated size", strings.Replace(good, "size 52428800\n", "size 1\nsize 2\n", 1), "repeated size"},
		{"negative size", strings.Replace(good, "size 52428800", "size -1", 1), "bad size"},
		{"size with a plus", strings.Replace(good, "size 52428800", "size +1", 1), "bad size"},
		{"size with leading zeros", strings.Replace(good, "size 52428800", "size 007", 1), "bad size"},
		{"size beyond int64", strings.Replace(good, "size 52428800", "size 99999999999999999999", 1), "bad size"},
		{"upper-case hash", strings.Replace(good, hash, strings.ToUpper(hash), 1), "bad sha256"},
		{"short hash", strings.Replace(good, hash, hash[:62], 1), "bad sha256"},
		{"name with a directory", strings.Replace(good, "report 2024.pdf", "../x", 1), "not a plain file name"},
		{"name with a backslash", strings.Replace(good, "report 2024.pdf", `..\x`, 1), "not a plain file name"},
		{"dot-dot", strings.Replace(good, "report 2024.pdf", "..", 1), "not a plain file name"},
		{"control character", strings.Replace(good, "report 2024.pdf", "a\tb", 1), "a control character"},
		{"invalid UTF-8", strings.Replace(good, "report 2024.pdf", "a\xffb", 1), "invalid UTF-8"},
		{"empty sender", strings.Replace(good, "sender alice", "sender ", 1), "empty sender"},
		{"line without value", strings.Replace(good, "sender alice", "sender", 1), "a line without a value"},
		{"no end", strings.TrimSuffix(good, "\n"), "unexpected EOF"},
		{"too long", "gojxta-xfer/1\nx " + strings.Repeat("y", xfer.MaxOfferLen) + "\n", "line too long"},
		{"too many lines", "gojxta-xfer/1\n" + strings.Repeat("x y\n", 40), "more than 32 lines"},
		{"empty", "", "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := readOffer(tt.text)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestCheckName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"a", "report.pdf", ".profile", "résumé (final).txt", "..a", "a..", strings.Repeat("n", xfer.MaxNameLen)} {
		assert.NoError(t, xfer.CheckName(name), name)
	}
	for _, name := range []string{"", ".", "..", "../x", "a/b", "/etc/passwd", `a\b`, "a\x00b", "a\nb", "\x7f", strings.Repeat("n", xfer.MaxNameLen+1), "\xff"} {
		err := xfer.CheckName(name)
		assert.True(t, errors.Is(err, xfer.ErrBadName), "%q: %v", name, err)
	}
}

func TestOfferCheck(t *testing.T) {
	t.Parallel()
	o := sampleOffer()
	o.Name = "../etc/passwd"
	assert.ErrorIs(t, o.Check(), xfer.ErrBadName)
	o = sampleOffer()
	o.Size = -1
	assert.ErrorContains(t, o.Check(), "negative size")
	o = sampleOffer()
	o.Sender = ""
	assert.ErrorContains(t, o.Check(), "no sender")
	o.Sender = "eve\nname x"
	assert.ErrorContains(t, o.Check(), "control character")
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }
