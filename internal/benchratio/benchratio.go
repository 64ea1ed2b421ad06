package benchratio

import (
	"slices"
	"testing"
	"time"
)

// WarmUp is how many calls of each side CompareLatency makes before it
// starts timing.
const WarmUp = 100

// round is how many operations each side runs before the other takes a
// turn.
const round = 64

// Compare runs ours b.N times as the benchmarked operation and baseline
// b.N times alongside it, alternating in rounds, and reports
// baseline-time/ours-time under the given unit (for example
// "x-encoding/xml"). Either function may call b.Fatal.
func Compare(b *testing.B, unit string, ours, baseline func()) {
	b.Helper()
	var oursTime, baseTime time.Duration
	b.ResetTimer()
	for done := 0; done < b.N; {
		n := min(round, b.N-done)
		start := time.Now()
		for i := 0; i < n; i++ {
			ours()
		}
		oursTime += time.Since(start)

		b.StopTimer()
		start = time.Now()
		for i := 0; i < n; i++ {
			baseline()
		}
		baseTime += time.Since(start)
		b.StartTimer()
		done += n
	}
	b.StopTimer()
	if oursTime > 0 {
		b.ReportMetric(float64(baseTime)/float64(oursTime), unit)
	}
}

// CompareLatency times single operations: it runs ours and baseline
// alternately, one call each, b.N times after a short warm-up, and reports
// the median of ours ("p50-µs"), of the baseline ("base-p50-µs"), of ours
// at the 99th percentile ("p99-µs"), and the ratio of the medians
// ours/baseline under unit (below 1 means faster than the baseline).
func CompareLatency(b *testing.B, unit string, ours, baseline func()) {
	b.Helper()
	for i := 0; i < WarmUp; i++ {
		ours()
		baseline()
	}
	oursT, baseT := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		ours()
		t1 := time.Now()
		baseline()
		t2 := time.Now()
		oursT = append(oursT, t1.Sub(t0))
		baseT = append(baseT, t2.Sub(t1))
	}
	b.StopTimer()
	slices.Sort(oursT)
	slices.Sort(baseT)
	p := func(d []time.Duration, q float64) float64 { return float64(d[int(q*float64(len(d)-1))]) }
	b.ReportMetric(p(oursT, 0.5)/1e3, "p50-µs")
	b.ReportMetric(p(oursT, 0.99)/1e3, "p99-µs")
	b.ReportMetric(p(baseT, 0.5)/1e3, "base-p50-µs")
	b.ReportMetric(p(oursT, 0.5)/p(baseT, 0.5), unit)
}

// CompareRounds measures throughput: it runs ours(n) and baseline(n)
// alternately, each doing n operations to completion, in rounds of at most
// round operations until b.N are done, and reports baseline-time/ours-time
// under unit (above 1 means faster than the baseline). It returns the time
// ours took.
func CompareRounds(b *testing.B, unit string, round int, ours, baseline func(n int)) time.Duration {
	b.Helper()
	var oursTime, baseTime time.Duration
	b.ResetTimer()
	for done := 0; done < b.N; {
		n := min(round, b.N-done)
		t0 := time.Now()
		ours(n)
		t1 := time.Now()
		baseline(n)
		baseTime += time.Since(t1)
		oursTime += t1.Sub(t0)
		done += n
	}
	b.StopTimer()
	if oursTime > 0 {
		b.ReportMetric(float64(baseTime)/float64(oursTime), unit)
	}
	return oursTime
}
