// Package identity is a peer's cryptographic identity: its Ed25519 key
// pair, the peer ID derived from the public key (jxta.NewPeerIDFromKey),
// the key file that keeps it in the peer's home directory, and the
// self-signed TLS certificate through which the endpoint proves it to
// other peers, with the check that a certificate proves a given peer ID.
//
// It sits just above the vocabulary: it imports jxta and the standard
// library's crypto packages only (no hand-written cryptography); the
// endpoint, the embedding API and the shell use it. It does no network
// I/O and starts no goroutines.
//
// Unlike JXSE, whose peer IDs are random and self-asserted (its PSE
// membership binds keys to IDs only inside groups that use it), every
// gojxta peer ID is the digest of its key, so any peer can check any
// other's ID without a certificate authority, as libp2p's peer IDs are
// checked.
package identity
