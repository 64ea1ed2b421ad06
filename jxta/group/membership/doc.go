// Package membership is a peer group's membership service: the local gate
// a peer passes to join a group, as in JXSE's MembershipService
// (apply/join/resign). Join checks what the group asks for and, if it is
// satisfied, records a Credential (the identity this peer joined under);
// Leave drops it.
//
// Two kinds of membership exist:
//
//   - None: anyone joins, under any identity ("nobody" by default), as
//     JXSE's NoneMembershipService.
//   - Password: joining needs the group password. A wrong or missing
//     password is refused with ErrWrongPassword.
//
// # What the group advertisement carries
//
// A password group's advertisement (PGA) carries, as its membership
// service's parameter, a password verifier and never the password itself or
// a reversible encoding of it (JXSE's Passwd service put a trivially
// reversible encoding of every user's password there). The verifier is an
// argon2id hash of the password with a 16-byte random salt, written as a
// PHC string:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt, base64>$<hash, base64>
//
// The cost parameters (m KiB of memory, t passes, p lanes) travel in the
// string, so new verifiers can use higher costs while old ones still
// check. A verifier read from an advertisement, which may be forged, is
// refused unless its parameters are within bounds (at most 256 MiB, 10
// passes, 16 lanes, and 1 GiB·pass of work in all; salt 8-64 bytes, hash
// 16-64 bytes), so checking a password against it costs a bounded amount of
// memory and time. Checks run one at a time per Service.
//
// What the verifier protects against, and what it does not:
//
//   - The password cannot be read back from the advertisement: finding it
//     takes guessing, and each guess costs one argon2id run (about 19 MiB
//     and tens of milliseconds with the default costs). The salt stops one
//     computation from serving many groups.
//   - It does not stop an offline dictionary attack by whoever holds the
//     advertisement, which anyone in the parent group can discover: a weak
//     password falls to guessing. Use a long random password for a group
//     that matters.
//   - Joining also derives the group's proof key: argon2id of the password
//     with the verifier's costs and the verifier's salt followed by
//     "gojxta membership proof key", a second run unrelated to the
//     verifier's hash, so the advertisement does not give it. With it a
//     member answers another peer's challenge (Prove) and checks the
//     answers to its own (CheckProof): HMAC-SHA256 over the nonce, the
//     group and both peer IDs. Package admission runs that exchange so
//     that a password group's services accept traffic only from members.
//     A recorded proof lets its holder test password guesses at one
//     argon2id run per guess, no cheaper than the verifier.
//
// The PGA's membership entry is a Svc with the membership class ID and a
// Parm holding one <Verifier> element; a PGA without one is a None group.
// MembershipOf reads it, ServiceEntry writes it, and FromGroupAdv makes the
// service for a discovered PGA, so a PGA alone is enough to join. A PGA
// whose membership Parm holds anything else (JXSE's <login> list, PSE
// configuration) is refused with ErrUnsupported rather than treated as
// open.
//
// membership sits on the jxta vocabulary and the advertisements (package
// advert); package group, which writes group advertisements, and the
// embedding API import it.
package membership
