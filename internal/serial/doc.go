// Package serial runs functions one at a time, in the order they are
// posted, on a goroutine that exists only while there is work.
//
// A protocol loop written as a goroutine blocked in select costs a
// goroutine (and its stack) for as long as its component lives, which,
// multiplied by the peers a process holds, is most of what an idle peer
// costs. Written as functions posted to a Queue (by a time.AfterFunc, an
// event callback, a caller that wants its work done on the loop), the
// same loop keeps the property that mattered, that its steps never run
// at the same time, and costs nothing between steps.
//
// The package imports only the standard library; any layer may use it.
package serial
