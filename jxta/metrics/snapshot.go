package metrics

import (
	"sort"
)

// Sample is one series of a metric at the time of a Snapshot.
type Sample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// Snapshot is every series of a Set at one time, sorted by name then
// labels, for display (the shell's stats) and tests.
type Snapshot []Sample

// Snapshot gathers the set. It returns nil on a nil Set.
func (s *Set) Snapshot() (Snapshot, error) {
	if s == nil {
		return nil, nil
	}
	fams, err := s.Registry().Gather() // sorted by name, then labels
	var out Snapshot
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			sm := Sample{Name: f.GetName(), Labels: make(map[string]string, len(m.GetLabel()))}
			for _, l := range m.GetLabel() {
				sm.Labels[l.GetName()] = l.GetValue()
			}
			switch {
			case m.Counter != nil:
				sm.Value = m.GetCounter().GetValue()
			case m.Gauge != nil:
				sm.Value = m.GetGauge().GetValue()
			case m.Untyped != nil:
				sm.Value = m.GetUntyped().GetValue()
			default:
				continue // histograms and summaries (of added collectors) are not shown
			}
			out = append(out, sm)
		}
	}
	return out, err
}

// Value returns the sum of the series of the metric name whose labels
// include the given ones, given as name/value pairs: Value(
// "jxta_endpoint_messages_sent_total", "service", "chat").
func (sn Snapshot) Value(name string, labels ...string) float64 {
	sum := 0.0
	for _, sm := range sn.Select(name, labels...) {
		sum += sm.Value
	}
	return sum
}

// Select returns the series of the metric name whose labels include the
// given name/value pairs.
func (sn Snapshot) Select(name string, labels ...string) []Sample {
	var out []Sample
next:
	for _, sm := range sn {
		if sm.Name != name {
			continue
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if sm.Labels[labels[i]] != labels[i+1] {
				continue next
			}
		}
		out = append(out, sm)
	}
	return out
}

// LabelValues returns the values of label among the series of name,
// sorted, once each.
func (sn Snapshot) LabelValues(name, label string) []string {
	seen := make(map[string]bool)
	var out []string
	for _, sm := range sn.Select(name) {
		if v, ok := sm.Labels[label]; ok && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}
