package cache

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/benchratio"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	bolt "go.etcd.io/bbolt"
)

// BenchmarkSearchExact100k measures a local indexed lookup, an exact Name
// match, in a group of 100,000 pipe advertisements: 90,000 with names of
// their own ("solo-NNNNN") and 10,000 whose names are shared by ten each
// ("ten-NNNN"). The cases:
//
//	threshold=1, threshold=10      a unique name: one entry (goal: p50 < 10 µs)
//	threshold=10,hits=10           a shared name: ten entries, ten record reads
//	threshold=10,hits=10,decode    the same, and Entry.Advertisement on each
//
// Each reports the median and 99th percentile of single lookups in
// microseconds, and the rate relative to the least any lookup costs in the
// same run, one bbolt read transaction getting one record by key
// ("x-bolt-get"; below 1 is slower than that).
func BenchmarkSearchExact100k(b *testing.B) {
	const (
		n       = 100_000
		shared  = 10_000 // advertisements with a shared name
		perName = 10
	)
	c, _ := openTest(b, Options{})
	g := jxta.NewGroupID()
	ps := make([]Publication, n)
	recordKeys := make([][]byte, n)
	for i := range ps {
		name := fmt.Sprintf("solo-%05d", i)
		if i < shared {
			name = fmt.Sprintf("ten-%04d", i/perName)
		}
		p := pipe(g, name)
		ps[i] = Publication{Adv: p, Lifetime: life, Expiration: exp}
		recordKeys[i] = []byte(Key(p))
	}
	rand.New(rand.NewPCG(3, 4)).Shuffle(n, func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	// Fill in transactions of fillBatch advertisements: one sync each, and
	// none so large that bbolt's in-transaction nodes grow big (see
	// PublishAll).
	const fillBatch = 1000
	start := time.Now()
	for i := 0; i < n; i += fillBatch {
		if err := c.PublishAll(g, ps[i:i+fillBatch]); err != nil {
			b.Fatal(err)
		}
	}
	if err := c.flush(nil); err != nil {
		b.Fatal(err)
	}
	b.Logf("filled %d advertisements in %d transactions in %v", n, n/fillBatch, time.Since(start).Round(time.Millisecond))
	if c.Len(g) != n {
		b.Fatalf("Len = %d", c.Len(g))
	}
	gname := groupName(g)

	for _, tc := range []struct {
		name      string
		threshold int
		shared    bool
		decode    bool
	}{
		{"threshold=1", 1, false, false},
		{"threshold=10", 10, false, false},
		{"threshold=10,hits=10", 10, true, false},
		{"threshold=10,hits=10,decode", 10, true, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			want := 1
			if tc.shared {
				want = perName
			}
			var lat []time.Duration
			benchratio.Compare(b, "x-bolt-get",
				func() {
					name := fmt.Sprintf("solo-%05d", shared+rng.IntN(n-shared))
					if tc.shared {
						name = fmt.Sprintf("ten-%04d", rng.IntN(shared/perName))
					}
					t0 := time.Now()
					es, err := c.Search(g, advert.Adv, "Name", name, tc.threshold)
					if err != nil {
						b.Fatal(err)
					}
					if tc.decode {
						for _, e := range es {
							if _, err := e.Advertisement(); err != nil {
								b.Fatal(err)
							}
						}
					}
					lat = append(lat, time.Since(t0))
					if len(es) != want {
						b.Fatalf("%s: %d results, want %d", name, len(es), want)
					}
				},
				func() {
					k := recordKeys[rng.IntN(n)]
					_ = c.db.View(func(tx *bolt.Tx) error {
						v := tx.Bucket(gname).Bucket(bucketAdv).Get(k)
						_ = append([]byte(nil), v...)
						return nil
					})
				})
			slices.Sort(lat)
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
			}
		})
	}
}

// BenchmarkPublish measures a durable Publish of a pipe advertisement
// (written to the journal) against a synced bbolt transaction putting the
// same record under one key of a bucket of its own (x-bolt-update: the
// least a publication stored straight into the B+tree costs; below 1 is
// faster than that). It reports the medians and Publish's 99th
// percentile in microseconds.
func BenchmarkPublish(b *testing.B) {
	c, _ := openTest(b, Options{})
	g := jxta.NewGroupID()
	bucket := []byte("bench-baseline")
	if err := c.db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	i := 0
	benchratio.CompareLatency(b, "x-bolt-update",
		func() {
			i++
			if err := c.Publish(g, pipe(g, fmt.Sprintf("bench-%d", i)), life, exp); err != nil {
				b.Fatal(err)
			}
		},
		func() {
			p := pipe(g, fmt.Sprintf("base-%d", i))
			if err := c.db.Update(func(tx *bolt.Tx) error {
				return tx.Bucket(bucket).Put([]byte(Key(p)), advert.Marshal(p))
			}); err != nil {
				b.Fatal(err)
			}
		})
}
