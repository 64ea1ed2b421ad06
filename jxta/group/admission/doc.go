// Package admission keeps a password group's services to its members: a
// Gate admits a peer's traffic in the group only once the peer has proved,
// on demand, that it knows the group password.
//
// # The exchange
//
// When traffic in the group arrives from a peer not yet admitted, the
// Gate holds it (up to maxQueued messages per peer) and challenges the
// peer: an endpoint message to the membership service (the membership
// class ID) with parameter <group unique>Challenge, carrying a fresh
// 32-byte random nonce. A member answers on <group unique>Proof with
// HMAC-SHA256 of the nonce, the group and both peer IDs, keyed with the
// group's proof key (package membership); a peer that has not joined
// answers that it is not a member. The Gate checks the proof with its own
// proof key: the held traffic is then delivered in order, and the peer's
// later traffic passes at once until its last connection closes. A peer
// that does not prove its membership within Config.Timeout, or proves it
// wrongly, is refused: its held traffic is dropped, it is told so on
// <group unique>Refused (one line in its log), and its traffic is dropped
// without a new challenge for Config.RetryAfter.
//
// Both sides of a connection gate: a member's traffic to another member
// is checked by the receiver, and the answers coming back by the sender's
// own Gate, so a peer that has not joined can neither send to members nor
// answer them. A relay (a rendezvous) must itself be a member.
//
// Connections are authenticated (package endpoint): the peer that sends a
// proof is the peer named in it, so a proof cannot be replayed by another
// peer, nor relayed (it names the verifier too), nor reused (the nonce is
// fresh). Whoever receives a proof can test password guesses against it
// offline at one argon2id run per guess, no cheaper than against the
// verifier in the group advertisement that anyone can read.
//
// admission sits on the endpoint and the membership service; package
// group builds a Gate for each password group it starts and hands it to
// the group's resolver, rendezvous and pipe services.
//
// Goroutines: one per challenge under way (bounded by the peers
// connected), and one per answer being sent; Close waits for them.
package admission
