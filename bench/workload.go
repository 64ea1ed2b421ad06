package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"
)

// A column is one figure of the table.
type column struct {
	name string
	// higher says that a larger figure is better (a rate), not a cost.
	higher bool
}

// A workload measures contenders, one round at a time.
type workload struct {
	name string
	cols []column
	// prepare readies a contender (connects its peers, warms up) and
	// returns its round, which returns one figure per column. A nil
	// round means the contender has no figure for this workload.
	prepare func(ctx context.Context, c *contender, o *options) (round func(ctx context.Context) ([]float64, error), cleanup func(), err error)
}

// options size the work of one round.
type options struct {
	bulkBytes  int // bulk: bytes per round, in 64 KiB writes
	rtts       int // rtt: round trips per round
	holRTTs    int // hol: round trips per round, idle and again busy
	opens      int // open: opens per round
	msgs       int // msgs: messages per round
	startPeers int // start: peers started per round
	idlePeers  int // idle: peers connected per round
}

// Sizes of the writes and messages the workloads send.
const (
	bulkWrite = 64 << 10
	rttSize   = 64
	msgSize   = 1 << 10
)

// workloads are every workload, in table order.
var workloads = []workload{
	{"bulk", []column{{"bulk MB/s", true}}, prepareBulk},
	{"rtt", []column{{"64B rtt p50 µs", false}, {"64B rtt p99 µs", false}}, prepareRTT},
	{"hol", []column{{"hol idle p99 µs", false}, {"hol busy p99 µs", false}, {"hol busy÷idle", false}}, prepareHOL},
	{"open", []column{{"open+echo+close /s", true}}, prepareOpen},
	{"msgs", []column{{"1KiB msgs/s", true}}, prepareMsgs},
	{"start", []column{{"start ms", false}, {"start heap KB", false}}, prepareStart},
	{"idle", []column{{"idle KB/peer", false}, {"idle goroutines/peer", false}}, prepareIdle},
}

// hello is the byte a stream workload writes first, so that the server
// tells its streams from any other stream opened on the link.
const hello = 'h'

// sinkLink connects c's link to a server that counts the bytes of the
// stream opened by the returned send function; fill writes n writes of
// size bytes and waits until the server has them all.
func sinkLink(ctx context.Context, c *contender) (fill func(n, size int) error, cleanup func(), err error) {
	want, done := make(chan int), make(chan error, 1)
	l, err := c.link(ctx, func(rw io.ReadWriter) {
		buf := make([]byte, 256<<10)
		if _, err := io.ReadFull(rw, buf[:1]); err != nil || buf[0] != hello {
			return
		}
		for n := range want {
			for got := 0; got < n; {
				k, err := rw.Read(buf)
				if err != nil {
					done <- err
					return
				}
				got += k
			}
			done <- nil
		}
	})
	if err != nil {
		return nil, nil, err
	}
	s, err := l.open(ctx)
	if err != nil {
		l.close()
		return nil, nil, err
	}
	if _, err := s.Write([]byte{hello}); err != nil {
		l.close()
		return nil, nil, err
	}
	var buf []byte
	fill = func(n, size int) error {
		if len(buf) != size {
			buf = make([]byte, size)
		}
		want <- n * size
		for range n {
			if _, err := s.Write(buf); err != nil {
				return err
			}
		}
		return <-done
	}
	return fill, func() { close(want); s.Close(); l.close() }, nil
}

// pumpFor returns c's one-way pump of size-byte writes or messages:
// c.pump for a message contender, else one stream of c.link into a sink;
// nil if c has neither.
func pumpFor(ctx context.Context, c *contender, size int) (pump func(n int) error, cleanup func(), err error) {
	switch {
	case c.pump != nil:
		return c.pump(ctx, size)
	case c.link != nil:
		fill, cleanup, err := sinkLink(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		return func(n int) error { return fill(n, size) }, cleanup, nil
	default:
		return nil, nil, nil
	}
}

// prepareBulk: bulkBytes in 64 KiB writes on one stream, or in 64 KiB
// messages for a message contender; MB/s.
func prepareBulk(ctx context.Context, c *contender, o *options) (func(context.Context) ([]float64, error), func(), error) {
	pump, cleanup, err := pumpFor(ctx, c, bulkWrite)
	if pump == nil || err != nil {
		return nil, nil, err
	}
	n := max(1, o.bulkBytes/bulkWrite)
	if err := pump(min(n, 16)); err != nil { // warm up
		cleanup()
		return nil, nil, err
	}
	return func(context.Context) ([]float64, error) {
		t0 := time.Now()
		if err := pump(n); err != nil {
			return nil, err
		}
		return []float64{float64(n*bulkWrite) / 1e6 / time.Since(t0).Seconds()}, nil
	}, cleanup, nil
}

// prepareMsgs: msgs one-way 1 KiB writes or messages; messages/s.
func prepareMsgs(ctx context.Context, c *contender, o *options) (func(context.Context) ([]float64, error), func(), error) {
	pump, cleanup, err := pumpFor(ctx, c, msgSize)
	if pump == nil || err != nil {
		return nil, nil, err
	}
	if err := pump(min(o.msgs, 256)); err != nil { // warm up
		cleanup()
		return nil, nil, err
	}
	return func(context.Context) ([]float64, error) {
		t0 := time.Now()
		if err := pump(o.msgs); err != nil {
			return nil, err
		}
		return []float64{float64(o.msgs) / time.Since(t0).Seconds()}, nil
	}, cleanup, nil
}

// echo copies what a stream receives back to it.
func echo(rw io.ReadWriter) { _, _ = io.Copy(rw, rw) }

// prepareRTT: rtts sequential 64 B round trips on one echo stream (or
// messages and their echo, for a message contender); p50 and p99 µs.
func prepareRTT(ctx context.Context, c *contender, o *options) (func(context.Context) ([]float64, error), func(), error) {
	var rt func() error
	var cleanup func()
	switch {
	case c.rtt != nil:
		var err error
		if rt, cleanup, err = c.rtt(ctx, rttSize); err != nil {
			return nil, nil, err
		}
	case c.link != nil:
		l, err := c.link(ctx, echo)
		if err != nil {
			return nil, nil, err
		}
		s, err := l.open(ctx)
		if err != nil {
			l.close()
			return nil, nil, err
		}
		out, in := make([]byte, rttSize), make([]byte, rttSize)
		rt = func() error {
			if _, err := s.Write(out); err != nil {
				return err
			}
			_, err := io.ReadFull(s, in)
			return err
		}
		cleanup = func() { s.Close(); l.close() }
	default:
		return nil, nil, nil
	}
	for range 100 { // warm up
		if err := rt(); err != nil {
			cleanup()
			return nil, nil, err
		}
	}
	samples := make([]time.Duration, o.rtts)
	return func(context.Context) ([]float64, error) {
		for i := range samples {
			t0 := time.Now()
			if err := rt(); err != nil {
				return nil, err
			}
			samples[i] = time.Since(t0)
		}
		return []float64{micros(percentile(samples, 0.5)), micros(percentile(samples, 0.99))}, nil
	}, cleanup, nil
}

// prepareOpen: opens times open a stream, write a byte, read its echo
// and close; opens/s.
func prepareOpen(ctx context.Context, c *contender, o *options) (func(context.Context) ([]float64, error), func(), error) {
	if c.link == nil {
		return nil, nil, nil
	}
	l, err := c.link(ctx, echo)
	if err != nil {
		return nil, nil, err
	}
	one := make([]byte, 1)
	once := func(ctx context.Context) error {
		s, err := l.open(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		if _, err := s.Write(one); err != nil {
			return err
		}
		_, err = io.ReadFull(s, one)
		return err
	}
	for range 10 { // warm up
		if err := once(ctx); err != nil {
			l.close()
			return nil, nil, err
		}
	}
	return func(ctx context.Context) ([]float64, error) {
		t0 := time.Now()
		for range o.opens {
			if err := once(ctx); err != nil {
				return nil, err
			}
		}
		return []float64{float64(o.opens) / time.Since(t0).Seconds()}, nil
	}, l.close, nil
}

// memNow is the heap in use and the goroutine stacks, after a GC.
func memNow() (heap, stacks uint64, goroutines int) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, m.StackInuse, runtime.NumGoroutine()
}

// settle lets what the previous measurement closed wind down (closing
// peers stops goroutines that free memory as they go).
func settle() {
	time.Sleep(250 * time.Millisecond)
	runtime.GC()
}

// prepareStart: start startPeers peers, each timed; the median start-up
// time (ms) and the heap per peer (KB).
func prepareStart(ctx context.Context, c *contender, o *options) (func(context.Context) ([]float64, error), func(), error) {
	if c.start == nil {
		return nil, nil, nil
	}
	return func(ctx context.Context) ([]float64, error) {
		settle()
		h0, _, _ := memNow()
		times := make([]time.Duration, 0, o.startPeers)
		var peers closers
		defer func() { peers.Close() }()
		for range o.startPeers {
			t0 := time.Now()
			p, err := c.start(ctx)
			if err != nil {
				return nil, err
			}
			times = append(times, time.Since(t0))
			peers = append(peers, func() { p.Close() })
		}
		h1, _, _ := memNow()
		kb := (float64(h1) - float64(h0)) / float64(o.startPeers) / 1024
		return []float64{float64(percentile(times, 0.5)) / 1e6, kb}, nil
	}, func() {}, nil
}

// prepareIdle: a hub and idlePeers peers connected to it; heap + stacks
// (KB) and goroutines per peer.
func prepareIdle(ctx context.Context, c *contender, o *options) (func(context.Context) ([]float64, error), func(), error) {
	if c.hub == nil {
		return nil, nil, nil
	}
	return func(ctx context.Context) ([]float64, error) {
		join, closeHub, err := c.hub(ctx)
		if err != nil {
			return nil, err
		}
		defer closeHub()
		settle()
		h0, s0, g0 := memNow()
		// A join is a TLS handshake and a lease: tens of milliseconds on a
		// loaded machine, so the bound grows with the peers.
		jctx, cancel := context.WithTimeout(ctx, time.Minute+time.Duration(o.idlePeers)*200*time.Millisecond)
		defer cancel()
		for i := range o.idlePeers {
			if _, err := join(jctx); err != nil {
				return nil, fmt.Errorf("peer %d: %w", i, err)
			}
		}
		settle()
		h1, s1, g1 := memNow()
		n := float64(o.idlePeers)
		return []float64{
			(float64(h1+s1) - float64(h0+s0)) / n / 1024,
			float64(g1-g0) / n,
		}, nil
	}, func() {}, nil
}
