package benchratio

import (
	"testing"
	"time"
)

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
