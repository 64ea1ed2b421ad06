// Package jxsepeer runs real JXSE 2.6 peers as processes, for tests that
// check gojxta against an implementation nobody here wrote.
//
// The peer is ../shared/jxse/jxse-peer (found beside the repository as
// internal/interop finds ../shared), a Java program driven by -D options:
// Start turns an Options into them, runs the peer with a fresh home
// folder and, unless given one, a free loopback port, and captures what it
// prints. Its stdout is one line per event ("STARTED <peer id> <name>",
// "RDV CONNECTED true|false", "PUBLISHED", "FOUND", "SENT", "RECEIVED
// name=text", "EXPECTED", then "DONE" and exit 0, or "FAILED n" and exit
// 1): Peer.WaitLine waits for a line matching a regular expression, and
// Peer.Wait for the exit. The test's Cleanup kills the peer's whole
// process group (the script and the JVM it runs), also when the test
// failed, and then logs what the peer printed if the test failed.
//
// It needs the shared folder, java and javac (Debian:
// openjdk-17-jdk-headless) and flock; Available says which is missing,
// and Start skips the test, saying why. jxse-peer compiles its Java
// source once into a cache folder: $JXSE_CACHE if set, else jxse-peer in
// the user's cache folder (os.UserCacheDir), a stable place, so the
// compile is paid once per machine. The script holds a flock on the cache
// while it checks and compiles, so parallel test processes that start
// peers at once on a fresh machine compile once and never read a half
// written class.
//
// Start-up on a 2-core machine (Java 17), from Start to the STARTED
// line: about 5 s on the first run, which compiles (3.2 s when three test
// processes started their first peers at once: one compiled, two waited);
// later runs 0.6 to 1.3 s, and a peer with nothing to do exits about
// 0.4 s after STARTED. A JXSE rendezvous and edge started together (the
// edge finds the rendezvous's pipe and sends it a message) have both
// exited after about 3 s; jxsewire's test of that, which starts the edge
// after the rendezvous and keeps it up 2 s after sending, takes 6.5 to
// 8 s under the race detector beside the package's other test.
//
// A JXSE edge tries its seeds once, as it starts, and not again within
// the budgets tests use: started together with its JXSE rendezvous, it
// may come up first, find nothing listening, and print "RDV CONNECTED
// false" when Options.Timeout runs out. Start an edge after its
// rendezvous has printed STARTED (Peer.ID waits for it). An edge whose
// seed refuses it likewise tries once. "RDV CONNECTED false" is not a
// failed task: an edge given no task still prints DONE and exits 0.
//
// Tests only: it imports the jxta vocabulary, internal/interop and
// internal/wiretest, and only tests import it.
package jxsepeer
