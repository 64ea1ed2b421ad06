package admission

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/membership"
)

// Defaults of Config.
const (
	// DefaultTimeout is how long a peer has to answer a challenge.
	DefaultTimeout = 5 * time.Second
	// DefaultRetryAfter is how long a refused peer's traffic is dropped
	// before it is challenged again.
	DefaultRetryAfter = 2 * time.Second
)

// maxQueued bounds the messages held for one peer while it is challenged;
// more are dropped.
const maxQueued = 256

// ErrNotMember reports a peer that has not proved its membership of a
// password group: this peer, which has not joined, or another, which was
// refused.
var ErrNotMember = errors.New("not a member of the password group")

// Config assembles a Gate.
type Config struct {
	Group      jxta.GroupID
	Endpoint   *endpoint.Endpoint
	Membership *membership.Service
	Logger     *slog.Logger
	// Timeout bounds the wait for a proof; default DefaultTimeout.
	Timeout time.Duration
	// RetryAfter is how long a refused peer stays refused; default
	// DefaultRetryAfter.
	RetryAfter time.Duration
}

// Gate admits the peers that prove their membership of a password group.
// It implements endpoint.Gate.
type Gate struct {
	cfg       Config
	self      jxta.PeerID
	challenge string // endpoint parameters of the exchange
	proof     string
	refused   string
	log       *slog.Logger
	stopWatch func()

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	peers  map[jxta.PeerID]*peerState
	told   map[jxta.PeerID]bool // peers whose refusal of this peer was logged
	warned map[jxta.PeerID]bool // peers whose refusal was logged
	closed bool
}

// status is where a peer stands with the Gate.
type status uint8

const (
	proving  status = iota + 1 // challenged, its traffic held
	admitted                   // proved its membership
	refused                    // failed to; its traffic dropped until retryAt
)

// peerState is a peer's admission.
type peerState struct {
	status  status
	nonce   []byte
	answer  chan answer // proving: the peer's answer
	held    []heldItem  // proving, or admitted while the held items run
	running bool        // admitted, the held items still running
	retryAt time.Time   // refused
	reason  error       // refused
}

// heldItem is traffic waiting for a peer's admission: deliver runs if it
// is admitted, refuse (if set) if it is not.
type heldItem struct {
	deliver func()
	refuse  func(error)
}

// answer is a peer's answer to a challenge: a proof, or its word that it
// is not a member.
type answer struct {
	proof     []byte
	notMember string
}

// New starts the Gate of cfg.Group: it answers challenges with this
// peer's proofs and challenges the peers whose traffic it is asked to
// admit.
func New(cfg Config) (*Gate, error) {
	if cfg.Endpoint == nil || cfg.Membership == nil {
		return nil, errors.New("admission: Config needs Endpoint and Membership")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = DefaultRetryAfter
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	u := cfg.Group.Unique()
	g := &Gate{cfg: cfg, self: cfg.Endpoint.ID(), log: log,
		challenge: u + challengeSuffix, proof: u + proofSuffix, refused: u + refusedSuffix,
		peers: make(map[jxta.PeerID]*peerState), told: make(map[jxta.PeerID]bool), warned: make(map[jxta.PeerID]bool)}
	g.ctx, g.cancel = context.WithCancel(context.Background())
	ep := cfg.Endpoint
	ep.HandleFunc(Service, g.challenge, g.serveChallenge)
	ep.HandleFunc(Service, g.proof, g.serveProof)
	ep.HandleFunc(Service, g.refused, g.serveRefused)
	g.stopWatch = ep.Watch(func(ev endpoint.Event) {
		// A peer that comes back after its last connection closed proves
		// its membership again.
		if ev.Kind != endpoint.PeerDisconnected {
			return
		}
		g.mu.Lock()
		delete(g.peers, ev.Peer)
		delete(g.told, ev.Peer)
		delete(g.warned, ev.Peer)
		g.mu.Unlock()
	})
	return g, nil
}

// Close stops answering and challenging; traffic held is dropped.
func (g *Gate) Close() error {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.stopWatch()
	ep := g.cfg.Endpoint
	ep.Handle(Service, g.challenge, nil)
	ep.Handle(Service, g.proof, nil)
	ep.Handle(Service, g.refused, nil)
	g.cancel()
	g.wg.Wait()
	return nil
}

// Ready returns nil when this peer has joined the group, and an error
// wrapping ErrNotMember otherwise: members refuse its traffic.
func (g *Gate) Ready() error {
	if _, ok := g.cfg.Membership.Current(); !ok {
		return fmt.Errorf("group %s: %w: join it with its password first", g.cfg.Group, ErrNotMember)
	}
	return nil
}

// Admit calls deliver once peer is admitted (see endpoint.Gate).
func (g *Gate) Admit(peer jxta.PeerID, deliver func()) {
	g.admit(peer, heldItem{deliver: deliver})
}

// AdmitStream waits until peer is admitted or refused, or ctx ends.
func (g *Gate) AdmitStream(ctx context.Context, peer jxta.PeerID) error {
	done := make(chan error, 1)
	g.admit(peer, heldItem{deliver: func() { done <- nil }, refuse: func(err error) { done <- err }})
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("admission of %s: %w", peer, ctx.Err())
	}
}

// Refusal is a peer the Gate refused, and why.
type Refusal struct {
	Peer   jxta.PeerID
	Reason error
	At     time.Time
}

// Refused returns the peers refused on their current connection, oldest
// first.
func (g *Gate) Refused() []Refusal {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []Refusal
	for p, st := range g.peers {
		if st.status == refused {
			out = append(out, Refusal{Peer: p, Reason: st.reason, At: st.retryAt.Add(-g.cfg.RetryAfter)})
		}
	}
	slices.SortFunc(out, func(a, b Refusal) int { return a.At.Compare(b.At) })
	return out
}

// Admitted reports whether peer has proved its membership.
func (g *Gate) Admitted(peer jxta.PeerID) bool {
	if peer == g.self {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.peers[peer]
	return st != nil && st.status == admitted
}

func (g *Gate) admit(peer jxta.PeerID, it heldItem) {
	if peer == g.self {
		it.deliver()
		return
	}
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		it.dropped(fmt.Errorf("group %s: closed", g.cfg.Group))
		return
	}
	st := g.peers[peer]
	switch {
	case st != nil && st.status == admitted && !st.running:
		g.mu.Unlock()
		it.deliver()
		return
	case st != nil && (st.status == proving || st.running):
		if len(st.held) >= maxQueued {
			g.mu.Unlock()
			g.log.Debug("admission: traffic dropped, too much held while the peer proves its membership", "peer", peer)
			it.dropped(fmt.Errorf("peer %s: too much traffic held", peer))
			return
		}
		st.held = append(st.held, it)
		g.mu.Unlock()
		return
	case st != nil && st.status == refused && time.Now().Before(st.retryAt):
		reason := st.reason
		g.mu.Unlock()
		it.dropped(reason)
		return
	}
	nonce := make([]byte, membership.NonceLen)
	rand.Read(nonce) // never fails: crypto/rand aborts the program instead
	st = &peerState{status: proving, nonce: nonce, answer: make(chan answer, 1), held: []heldItem{it}}
	g.peers[peer] = st
	g.wg.Add(1)
	g.mu.Unlock()
	go g.prove(peer, st)
}

// dropped tells the item's waiter, if any, that it was refused.
func (it heldItem) dropped(err error) {
	if it.refuse != nil {
		it.refuse(err)
	}
}

// prove challenges peer and admits or refuses it on its answer.
func (g *Gate) prove(peer jxta.PeerID, st *peerState) {
	defer g.wg.Done()
	ctx, cancel := context.WithTimeout(g.ctx, g.cfg.Timeout)
	defer cancel()
	err := g.send(ctx, peer, g.challenge, nonceElement, st.nonce)
	if err == nil {
		select {
		case a := <-st.answer:
			switch {
			case a.notMember != "":
				err = fmt.Errorf("peer %s says: %s", peer, a.notMember)
			default:
				err = g.cfg.Membership.CheckProof(peer, st.nonce, a.proof)
			}
		case <-ctx.Done():
			err = fmt.Errorf("no proof from peer %s within %v", peer, g.cfg.Timeout)
		}
	}
	if err != nil {
		g.refuse(peer, st, err)
		return
	}
	g.log.Debug("admission: peer proved its membership", "peer", peer)
	g.mu.Lock()
	st.status, st.running = admitted, true
	g.mu.Unlock()
	for {
		g.mu.Lock()
		held := st.held
		st.held = nil
		if len(held) == 0 {
			st.running = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		for _, it := range held {
			it.deliver()
		}
	}
}

// refuse drops peer's held traffic and tells it why.
func (g *Gate) refuse(peer jxta.PeerID, st *peerState, err error) {
	reason := fmt.Errorf("peer %s has not proved its membership of group %s: %w (%w)", peer, g.cfg.Group, ErrNotMember, err)
	g.mu.Lock()
	st.status, st.reason, st.retryAt = refused, reason, time.Now().Add(g.cfg.RetryAfter)
	held := st.held
	st.held = nil
	closed, warned := g.closed, g.warned[peer]
	g.warned[peer] = true
	g.mu.Unlock()
	for _, it := range held {
		it.dropped(reason)
	}
	if closed {
		return
	}
	// One line per peer and connection; the retries after it are quieter.
	level := slog.LevelWarn
	if warned {
		level = slog.LevelDebug
	}
	g.log.Log(g.ctx, level, "admission: traffic refused: the peer has not proved its membership", "peer", peer, "err", err)
	ctx, cancel := context.WithTimeout(g.ctx, g.cfg.Timeout)
	defer cancel()
	_ = g.send(ctx, peer, g.refused, reasonElement, []byte("not a proven member of the group"))
}
