package endpoint

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPartlyReceivedMessagesAreBounded is the memory attack: 40
// connections each start a 16 MiB message, send 15 MiB of it and stop.
// The peer's partly received bodies stay within MaxPendingBytes (those
// that would pass it drop their connection at once), the ones that stop
// arriving drop theirs after BodyStallTimeout, and a legitimate peer's
// messages keep their round trip throughout.
func TestPartlyReceivedMessagesAreBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("sends a few hundred MiB")
	}
	const attackers = 40
	server := newPeer(t, networks()[0], "server", func(c *Config) { c.BodyStallTimeout = 2 * time.Second })
	good := newPeer(t, networks()[0], "good")
	echo := collect(server.Endpoint, "ping", "")
	_, err := good.Connect(ctxT(t, 5*time.Second), server.Addresses()[0])
	require.NoError(t, err)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	hdr, start := framing.AppendPackageTo(nil, jxta.TypeMessage)
	framing.SetBodyLength(hdr[start:], 16<<20)
	part := make([]byte, 15<<20) // shared by the attackers: not counted twice
	var wg sync.WaitGroup
	var peak atomic.Int64
	stop := make(chan struct{})
	go func() { // sample the server's budget and the heap
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			if u := server.budget.inUse(); u > peak.Load() {
				peak.Store(u)
			}
		}
	}()
	var heapPeak uint64
	var heapMu sync.Mutex
	sampleHeap := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		heapMu.Lock()
		heapPeak = max(heapPeak, m.HeapInuse)
		heapMu.Unlock()
	}
	for range attackers {
		rc := handshakeRaw(t, server.Addresses()[0])
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = rc.msg.Write(hdr)
			_, _ = rc.msg.Write(part) // then nothing: the body stalls
		}()
	}
	// The legitimate peer's round trips go on meanwhile.
	for i := range 20 {
		require.NoError(t, good.SendTo(ctxT(t, 5*time.Second), server.ID(), "ping", "", jxta.NewMessage()), "message %d", i)
		assert.Equal(t, good.ID(), recv(t, echo).Peer)
		sampleHeap()
		time.Sleep(50 * time.Millisecond)
	}
	// Every attacker's connection goes: over the budget at once, or
	// stalled after BodyStallTimeout.
	require.Eventually(t, func() bool { sampleHeap(); return len(server.Connections()) == 1 }, 30*time.Second, 20*time.Millisecond)
	close(stop)
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int64(DefaultMaxPendingBytes), "the budget held")
	assert.Positive(t, peak.Load(), "some bodies were under way")
	assert.Zero(t, server.budget.inUse(), "all of it given back")
	// The log says so in a line or two, not forty.
	server.dropped.Stop()
	log := server.log.String()
	assert.LessOrEqual(t, strings.Count(log, "dropping connection"), 2, log)
	assert.Regexp(t, `over the peer's memory budget|stopped arriving`, log)
	t.Logf("budget peak %d MiB; heap in use %d MiB before, peak %d MiB (client and server in one process)",
		peak.Load()>>20, before.HeapInuse>>20, heapPeak>>20)
	// Before the budget, the same attack took a peer to 876 MB. Now the
	// heap of the whole process (the peer, the 40 attackers, their 15 MiB
	// buffer, and the garbage of bodies that grew before the collector
	// ran) stays within a few budgets.
	assert.Less(t, heapPeak-before.HeapInuse, uint64(6*DefaultMaxPendingBytes), "heap growth during the attack")
	assert.True(t, good.Connected(server.ID()))
}

// TestStalledOrTricklingBodyDropsItsConnection starts a 1 MiB message
// and then stops, or sends the rest 1 KiB at a time every 200 ms (5 KB/s,
// below the floor of 64 KiB per BodyStallTimeout): either way the
// connection is dropped, not held until the idle reaper.
func TestStalledOrTricklingBodyDropsItsConnection(t *testing.T) {
	for _, trickle := range []bool{false, true} {
		t.Run(map[bool]string{false: "stalled", true: "trickling"}[trickle], func(t *testing.T) {
			server := newPeer(t, networks()[0], "server", func(c *Config) { c.BodyStallTimeout = time.Second })
			sub := server.Subscribe(4)
			rc := handshakeRaw(t, server.Addresses()[0])
			require.Equal(t, PeerConnected, (<-sub.C).Kind)
			hdr, start := framing.AppendPackageTo(nil, jxta.TypeMessage)
			framing.SetBodyLength(hdr[start:], 1<<20)
			_, err := rc.msg.Write(append(hdr, make([]byte, 300<<10)...))
			require.NoError(t, err)
			began := time.Now()
			done := make(chan struct{})
			defer close(done)
			if trickle {
				go func() {
					for {
						select {
						case <-done:
							return
						case <-time.After(200 * time.Millisecond):
						}
						if _, err := rc.msg.Write(make([]byte, 1<<10)); err != nil {
							return
						}
					}
				}()
			}
			select {
			case ev := <-sub.C:
				assert.Equal(t, PeerDisconnected, ev.Kind)
			case <-time.After(10 * time.Second):
				t.Fatal("connection not dropped")
			}
			assert.Less(t, time.Since(began), 3*time.Second)
			assert.Contains(t, server.log.String(), "stopped arriving")
			assert.Zero(t, server.budget.inUse())
			stillServes(t, server)
		})
	}
}
