// Package benchratio measures a benchmark against a baseline run in the
// same benchmark, so that the reported figure is a ratio that holds on a
// noisy machine.
//
// The two workloads are run alternately in short rounds, so that both see
// the same machine conditions, and the ratio baseline-time / our-time is
// reported with b.ReportMetric (above 1 means faster than the baseline).
// Only benchmarks import this package.
package benchratio
