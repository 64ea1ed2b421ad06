// Package jxsewire holds tests of gojxta against real JXSE 2.6 peers on
// the wire: JXSE peers run as processes (internal/jxsepeer), on loopback
// only, beside gojxta nodes (jxta/node) in the test process.
//
// It has no code of its own: it is a package so that these slow tests (a
// JXSE peer takes a second or more to start) run in parallel with the
// rest of the suite. They skip, saying why, where ../shared/jxse, java or
// javac is missing.
//
// TestJXSERendezvousAndEdge proves the harness with JXSE on both sides.
// TestLegacyPeerIsRefusedWithoutLegacyMode is the baseline of issue 16:
// it records what a JXSE edge meets at a gojxta rendezvous today (a
// refusal), which stays true of a node whose legacy mode is off, the
// default, once legacy mode exists.
// TestGoJXTAAndJXSEFindEachOtherByMulticast runs a gojxta and a JXSE
// ad-hoc peer on JXSE's multicast group over loopback (skipped where
// loopback multicast does not work).
package jxsewire
