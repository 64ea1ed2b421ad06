package membership

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// Service is one group's membership service on this peer: it checks joins
// and holds the credential of the current one. It is safe for concurrent
// use and starts no goroutines.
type Service struct {
	group    jxta.GroupID
	peer     jxta.PeerID
	kind     Kind
	verifier verifier // Password only

	// checking holds one token while a password is hashed, so concurrent
	// joins cost one argon2id run's memory at a time.
	checking chan struct{}

	mu      sync.Mutex
	current *Credential
	// proofKey is the key this peer proves its membership with, derived
	// from the password at the current join (Password groups only).
	proofKey []byte
}

// New returns the membership service of group for peer: kind None, or
// Password with the group's verifier (as NewVerifier makes it).
func New(group jxta.GroupID, peer jxta.PeerID, kind Kind, verifierText string) (*Service, error) {
	s := &Service{group: group, peer: peer, kind: kind, checking: make(chan struct{}, 1)}
	switch kind {
	case None:
		if verifierText != "" {
			return nil, fmt.Errorf("membership: group %s: a verifier needs %q membership", group, Password)
		}
	case Password:
		v, err := parseVerifier(verifierText)
		if err != nil {
			return nil, fmt.Errorf("group %s: %w", group, err)
		}
		s.verifier = v
	default:
		return nil, fmt.Errorf("membership: group %s: unknown kind %q", group, kind)
	}
	return s, nil
}

// FromGroupAdv returns the membership service that pga describes (see
// MembershipOf), for peer.
func FromGroupAdv(pga *advert.GroupAdv, peer jxta.PeerID) (*Service, error) {
	kind, v, err := MembershipOf(pga)
	if err != nil {
		return nil, err
	}
	return New(pga.GroupID, peer, kind, v)
}

// Kind returns the group's kind of membership.
func (s *Service) Kind() Kind { return s.kind }

// NeedsPassword reports whether joining needs the group password.
func (s *Service) NeedsPassword() bool { return s.kind == Password }

// Join joins the group under identity ("" means DefaultIdentity). A
// Password group needs its password: a wrong or empty one is refused with
// ErrWrongPassword and leaves the current credential, if any, as it was; a
// None group ignores the password. A successful join replaces the current
// credential. Join returns ctx's error if ctx ends before the join is
// done; password checks wait for one another.
func (s *Service) Join(ctx context.Context, identity, password string) (Credential, error) {
	identity, err := checkIdentity(identity)
	if err != nil {
		return Credential{}, err
	}
	var key []byte
	if s.kind == Password {
		if key, err = s.checkPassword(ctx, password); err != nil {
			return Credential{}, err
		}
	}
	if err := ctx.Err(); err != nil {
		return Credential{}, err
	}
	c := Credential{Group: s.group, Peer: s.peer, Identity: identity, Kind: s.kind, Joined: time.Now()}
	s.mu.Lock()
	s.current = &c
	s.proofKey = key
	s.mu.Unlock()
	return c, nil
}

// checkPassword checks password against the group's verifier and, if it
// matches, derives the proof key from it (two argon2id runs).
func (s *Service) checkPassword(ctx context.Context, password string) ([]byte, error) {
	if password == "" {
		return nil, fmt.Errorf("%w: group %s needs its password", ErrWrongPassword, s.group)
	}
	select {
	case s.checking <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.checking }()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.verifier.check(password); err != nil {
		return nil, fmt.Errorf("%w for group %s", err, s.group)
	}
	return s.verifier.proofKey(password), nil
}

// Leave drops the current credential (JXSE's resign). It returns
// ErrNotJoined when there is none.
func (s *Service) Leave() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		return ErrNotJoined
	}
	s.current = nil
	s.proofKey = nil
	return nil
}

// Current returns the credential of the current join, if any.
func (s *Service) Current() (Credential, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		return Credential{}, false
	}
	return *s.current, true
}
