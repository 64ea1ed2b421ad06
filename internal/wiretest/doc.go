// Package wiretest has TCP proxies for tests that look at what crosses the
// wire between two peers: one that records every byte it forwards, and a
// man in the middle that answers each side with a key of its own.
//
// Tests only: the proxies listen on 127.0.0.1 and forward to the address
// they are given, and Close stops every goroutine they started.
package wiretest
