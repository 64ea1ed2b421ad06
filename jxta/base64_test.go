package jxta

import (
	stdbase64 "encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzBase64 checks the vector base64 against encoding/base64: the same
// text for any data, and for any text the same data or an error from both.
func FuzzBase64(f *testing.F) {
	f.Add([]byte("hello, world"), []byte("aGVsbG8sIHdvcmxk"))
	f.Add(make([]byte, 200), []byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWg=="))
	f.Add([]byte{0xff, 0xfe}, []byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldY\nWVpBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWg==\r\n"))
	f.Add([]byte{}, []byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldY WVpBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWg=="))
	f.Fuzz(func(t *testing.T, data, text []byte) {
		require.Equal(t, stdbase64.StdEncoding.EncodeToString(data), string(appendBase64([]byte("x"), data)[1:]))

		want, wantErr := stdbase64.StdEncoding.DecodeString(string(text))
		got, err := decodeBase64(text)
		if wantErr != nil {
			require.Error(t, err, "encoding/base64 refuses %q: %v", text, wantErr)
			return
		}
		require.NoError(t, err)
		require.Equal(t, want, got)
	})
}

// TestBase64LongInput runs the vector path (which needs some dozens of
// bytes) on wrapped, padded and corrupt text, against encoding/base64.
func TestBase64LongInput(t *testing.T) {
	data := make([]byte, 3000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	text := appendBase64(nil, data)
	require.Equal(t, stdbase64.StdEncoding.EncodeToString(data), string(text))
	got, err := decodeBase64(text)
	require.NoError(t, err)
	require.Equal(t, data, got)

	wrapped := append(append(append([]byte{}, text[:1000]...), "\r\n"...), text[1000:]...)
	got, err = decodeBase64(wrapped)
	require.NoError(t, err)
	require.Equal(t, data, got)

	corrupt := append([]byte{}, text...)
	corrupt[2000] = '*'
	_, err = decodeBase64(corrupt)
	require.Error(t, err)
}
