package rendezvous

// Role is a peer's part in a group's rendezvous network.
type Role int

// The roles.
const (
	Edge       Role = iota // holds a lease with a rendezvous
	Rendezvous             // grants leases, relays, keeps a peer view
	AdHoc                  // no rendezvous: propagates to connected peers
)

// String returns "edge", "rendezvous" or "ad-hoc".
func (r Role) String() string {
	switch r {
	case Edge:
		return "edge"
	case Rendezvous:
		return "rendezvous"
	case AdHoc:
		return "ad-hoc"
	}
	return "unknown"
}
