// Package interop locates the shared collection of real JXTA documents
// (../shared/interop beside the repository) for tests, and the shared
// folder itself (Shared), where other test material lives.
//
// A user's fresh clone has no ../shared, so tests that need it call Dir,
// which skips the test with a clear message when the collection is absent.
// Only tests import this package.
package interop
