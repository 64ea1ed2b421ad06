package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// holStreams is how many streams move bulk data, on the same connection,
// beside the stream the hol workload times round trips on.
const holStreams = 8

// holWarm is how many 64 KiB writes each bulk stream has made before the
// busy round trips are timed.
const holWarm = 4

// Stream kinds of the hol workload: the first byte of a stream tells the
// server whether to echo it or to read it to its end.
const (
	holEcho = 'e'
	holBulk = 'b'
)

// prepareHOL measures head-of-line blocking: how much bulk transfers on
// other streams of the same connection delay a short round trip. A round
// times holRTTs sequential 64 B round trips on one echo stream with the
// connection otherwise idle, then opens holStreams more streams on the
// same connection, each written to in 64 KiB writes as fast as it goes,
// times holRTTs round trips again, and stops the bulk streams and waits
// until the server has read each to its end (so that the next round, and
// the next contender, start idle). Its figures are the idle and the busy
// p99 (µs) and busy÷idle.
//
// Only the links whose opens are streams of one connection (link.conns
// set) take part: on raw TCP or TLS, the bulk streams would be
// connections of their own, which the kernel schedules apart. Each round
// checks that the link still has one connection while the bulk streams
// run.
func prepareHOL(ctx context.Context, c *contender, o *options) (func(context.Context) ([]float64, error), func(), error) {
	if c.link == nil {
		return nil, nil, nil
	}
	drained := make(chan struct{}, holStreams)
	l, err := c.link(ctx, func(rw io.ReadWriter) {
		var kind [1]byte
		if _, err := io.ReadFull(rw, kind[:]); err != nil {
			return
		}
		switch kind[0] {
		case holEcho:
			echo(rw)
		case holBulk:
			_, _ = io.Copy(io.Discard, rw)
			drained <- struct{}{}
		}
	})
	if err != nil {
		return nil, nil, err
	}
	if l.conns == nil {
		l.close()
		return nil, nil, nil
	}
	s, err := l.open(ctx)
	if err != nil {
		l.close()
		return nil, nil, err
	}
	cleanup := func() { s.Close(); l.close() }
	if _, err := s.Write([]byte{holEcho}); err != nil {
		cleanup()
		return nil, nil, err
	}
	out, in := make([]byte, rttSize), make([]byte, rttSize)
	// times fills samples with the durations of as many round trips.
	times := func(samples []time.Duration) error {
		for i := range samples {
			t0 := time.Now()
			if _, err := s.Write(out); err != nil {
				return err
			}
			if _, err := io.ReadFull(s, in); err != nil {
				return err
			}
			samples[i] = time.Since(t0)
		}
		return nil
	}
	idle, busy := make([]time.Duration, o.holRTTs), make([]time.Duration, o.holRTTs)
	// busyTimes fills samples while the bulk streams run.
	busyTimes := func(ctx context.Context, samples []time.Duration) error {
		stop, err := startBulk(ctx, l, drained)
		if err != nil {
			return err
		}
		err = times(samples)
		n := l.conns()
		if err := errors.Join(err, stop()); err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("the bulk streams and the timed one ran on %d connections, want 1", n)
		}
		return nil
	}
	warm := make([]time.Duration, min(o.holRTTs, 100))
	if err := errors.Join(times(warm), busyTimes(ctx, warm)); err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("warm-up: %w", err)
	}
	return func(ctx context.Context) ([]float64, error) {
		if err := times(idle); err != nil {
			return nil, err
		}
		if err := busyTimes(ctx, busy); err != nil {
			return nil, err
		}
		i, b := percentile(idle, 0.99), percentile(busy, 0.99)
		return []float64{micros(i), micros(b), float64(b) / float64(i)}, nil
	}, cleanup, nil
}

// startBulk opens holStreams streams on l, each written to in 64 KiB
// writes by a goroutine of its own, and returns once each has made
// holWarm writes. stop stops the writers, closes the streams and waits
// until the server has read each to its end (one receipt on drained per
// stream); it returns the first write error.
func startBulk(ctx context.Context, l *link, drained <-chan struct{}) (stop func() error, err error) {
	quit, started, errs := make(chan struct{}), make(chan struct{}, holStreams), make(chan error, holStreams)
	var writers sync.WaitGroup
	opened := 0
	stop = func() error {
		close(quit)
		writers.Wait()
		timeout := time.NewTimer(time.Minute)
		defer timeout.Stop()
		for range opened {
			select {
			case <-drained:
			case <-timeout.C:
				return errors.New("bulk streams: the server did not read them to their end within a minute")
			}
		}
		select {
		case err := <-errs:
			return fmt.Errorf("bulk stream: %w", err)
		default:
			return nil
		}
	}
	chunk := make([]byte, bulkWrite) // only read, by every writer
	for range holStreams {
		s, err := l.open(ctx)
		if err != nil {
			return nil, errors.Join(err, stop())
		}
		if _, err := s.Write([]byte{holBulk}); err != nil {
			s.Close()
			return nil, errors.Join(err, stop())
		}
		opened++
		writers.Go(func() {
			defer s.Close()
			warm := false
			defer func() {
				if !warm { // failed early: do not keep startBulk waiting
					started <- struct{}{}
				}
			}()
			for i := 1; ; i++ {
				select {
				case <-quit:
					return
				default:
				}
				if _, err := s.Write(chunk); err != nil {
					errs <- err
					return
				}
				if i == holWarm {
					warm = true
					started <- struct{}{}
				}
			}
		})
	}
	for range holStreams {
		<-started
	}
	return stop, nil
}
