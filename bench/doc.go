// Command bench compares gojxta with raw TCP, TLS 1.3, bare go-yamux and
// go-libp2p in one process on loopback, so that the figures it prints are
// ratios taken in the same run on the same machine.
//
// It is a module of its own (github.com/gojxta/gojxta/bench) so that the
// gojxta module never depends on go-libp2p; a replace directive points it
// at the checkout it sits in. Run it from this directory:
//
//	cd bench && go run .
//
// Each workload (workload.go, hol.go) runs every contender (contender.go,
// gojxta.go, libp2p.go) once per round, in an order that rotates from
// round to round; the table (table.go) gives the median of the rounds and
// the median of the per-round ratios. See README.md.
package main
