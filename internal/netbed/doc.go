// Package netbed builds a small IP network out of Linux network namespaces
// on one machine, for tests that need what loopback hides: several hosts
// with addresses of their own, links that go down, a network that splits
// in two and heals.
//
// A Bed is a "switch" namespace holding a bridge; each Host is a namespace
// of its own joined to the bridge by a veth pair, with lo up and one
// private address, 10.77.0.N/24, on its end of the pair (eth0). Programs
// run inside a host with ip netns exec (Host.Command). Host.LinkDown and
// LinkUp take the switch end of its link down and up; Bed.Partition moves
// some hosts' links to a second bridge, and Bed.Heal moves them back.
//
// The bed only ever creates namespaces of its own, and every link it makes
// is created inside them: nothing is added to or changed in the root
// namespace's interfaces, addresses or routes, and nothing needs a network
// beyond the machine. Names carry a per-run tag, "gj-<pid>-<random>-", so
// that parallel test processes and reruns never collide. The test's
// Cleanup kills what still runs in the bed's namespaces and deletes them
// (deleting a namespace deletes its veth ends), also when the test fails;
// New removes leftovers of runs whose process is gone (a crashed run).
//
// It needs Linux, root and the ip command of iproute2; New skips the test,
// saying why, when they are missing (Available tells without a test).
//
// Tests only: it imports nothing of gojxta, and only tests import it.
package netbed
