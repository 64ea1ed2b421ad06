package protocol_test

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLifetimeConstants(t *testing.T) {
	t.Parallel()
	assert.Equal(t, int64(31536000000), protocol.DefaultLifetime.Milliseconds())
	assert.Equal(t, int64(7200000), protocol.DefaultExpiration.Milliseconds())
	assert.Equal(t, int64(1209600000), protocol.GroupExpiration.Milliseconds())
}

func TestResponseExpiration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                  string
		remaining, expiration time.Duration
		want                  time.Duration
	}{
		{"expiration is shorter", protocol.DefaultLifetime, protocol.DefaultExpiration, protocol.DefaultExpiration},
		{"little life left", 10 * time.Minute, protocol.DefaultExpiration, 10 * time.Minute},
		{"forever and a group", protocol.Forever, protocol.GroupExpiration, protocol.GroupExpiration},
		{"both forever", protocol.Forever, protocol.Forever, protocol.Forever},
		{"expired", -time.Second, protocol.DefaultExpiration, -time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, protocol.ResponseExpiration(tt.remaining, tt.expiration))
		})
	}
}

// TestExpirationOnTheWire checks how expirations in milliseconds map to
// durations: Long.MAX_VALUE and anything beyond a time.Duration is
// Forever, written back as Long.MAX_VALUE; values too negative are clamped
// so that they read back the same.
func TestExpirationOnTheWire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		attr    string
		want    time.Duration
		written string
	}{
		{"7200000", 2 * time.Hour, "7200000"},
		{"0", 0, "0"},
		{"-1", -time.Millisecond, "-1"},
		{"9223372036854775807", protocol.Forever, "9223372036854775807"},
		{"9223372036855", protocol.Forever, "9223372036854775807"},
		{"9223372036854", 9223372036854 * time.Millisecond, "9223372036854"},
		{"-9223372036854775808", -9223372036854 * time.Millisecond, "-9223372036854"},
	}
	for _, tt := range tests {
		t.Run(tt.attr, func(t *testing.T) {
			t.Parallel()
			r, err := protocol.ParseAs[*protocol.DiscoveryResponse]([]byte(dr(`<Type>0</Type><Response Expiration="` + tt.attr + `">` + escape(paA) + `</Response>`)))
			require.NoError(t, err)
			require.Len(t, r.Responses, 1)
			assert.Equal(t, tt.want, r.Responses[0].Expiration)
			assert.Contains(t, string(advert.Marshal(r)), `<Response Expiration="`+tt.written+`">`)
			requireRoundTrip(t, r)
		})
	}
}
