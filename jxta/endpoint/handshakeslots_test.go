package endpoint

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSourceOf(t *testing.T) {
	tcp := func(s string) net.Addr { a, _ := net.ResolveTCPAddr("tcp", s); return a }
	assert.Equal(t, "10.0.0.1", sourceOf(tcp("10.0.0.1:9701")))
	assert.Equal(t, sourceOf(tcp("10.0.0.1:1")), sourceOf(tcp("10.0.0.1:2")), "ports do not matter")
	assert.Equal(t, "10.0.0.1", sourceOf(tcp("[::ffff:10.0.0.1]:9701")), "IPv4-mapped is IPv4")
	assert.Equal(t, "2001:db8:1:2::/64", sourceOf(tcp("[2001:db8:1:2::5]:9701")))
	assert.Equal(t, sourceOf(tcp("[2001:db8:1:2::5]:1")), sourceOf(tcp("[2001:db8:1:2:ffff::9]:1")), "one /64 is one source")
	assert.NotEqual(t, sourceOf(tcp("[2001:db8:1:2::5]:1")), sourceOf(tcp("[2001:db8:1:3::5]:1")))
	assert.Equal(t, "", sourceOf(memAddr("alice")), "not IP: counted only against the total")
	assert.Equal(t, "", sourceOf(nil))
}

func TestHandshakeSlots(t *testing.T) {
	h := newHandshakeSlots(3, 2)
	a, b := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1)}, &net.TCPAddr{IP: net.IPv4(10, 0, 0, 2)}
	r1, _ := h.acquire(a)
	r2, _ := h.acquire(a)
	require.NotNil(t, r1)
	require.NotNil(t, r2)
	_, why := h.acquire(a)
	assert.Equal(t, sourceFull, why)
	r3, _ := h.acquire(b)
	require.NotNil(t, r3)
	_, why = h.acquire(&net.TCPAddr{IP: net.IPv4(10, 0, 0, 3)})
	assert.Equal(t, slotsFull, why)
	r1()
	r1() // a release counts once
	r4, _ := h.acquire(a)
	require.NotNil(t, r4, "a's slot came back")
	_, why = h.acquire(b)
	assert.Equal(t, slotsFull, why)
	r2()
	r3()
	r4()
	assert.Equal(t, 0, h.total)
	assert.Empty(t, h.sources)

	mem := newHandshakeSlots(3, 1)
	for range 3 {
		r, _ := mem.acquire(memAddr("x"))
		require.NotNil(t, r, "non-IP sources have no per-source limit")
	}
	_, why = mem.acquire(memAddr("x"))
	assert.Equal(t, slotsFull, why)
}
