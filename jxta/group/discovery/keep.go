package discovery

import (
	"errors"
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// keepDelay is how long what discovery keeps of what other peers send
// (the advertisements of results, and of queriers) waits before it is
// stored, so that answers and results go out first, the goroutine that
// received them does not wait, and a burst is read and stored together.
const keepDelay = 100 * time.Millisecond

// querierAdv is a query whose querier's advertisement is to be kept.
type querierAdv struct {
	source jxta.PeerID
	query  *protocol.DiscoveryQuery
}

// keepQuerier keeps the advertisement of the querier source that dq
// carries for 2 hours, as JXSE does: a little later, so that answering
// does not wait for it and does not even read it. The same advertisement
// is stored again only after a quarter of that.
func (s *Service) keepQuerier(source jxta.PeerID, dq *protocol.DiscoveryQuery) {
	if dq.PeerAdvText == "" || !s.queriers.stale(source, dq.PeerAdvText, s.now()) {
		return
	}
	s.keepLater(nil, &querierAdv{source: source, query: dq})
}

// keepLater adds pubs, and the advertisement of q, to what is kept after
// keepDelay, remembered without a disk write of their own
// (cache.Remember).
func (s *Service) keepLater(pubs []cache.Publication, q *querierAdv) {
	s.keepMu.Lock()
	first := len(s.toKeep) == 0 && len(s.queriersToKeep) == 0
	s.toKeep = append(s.toKeep, pubs...)
	if q != nil {
		s.queriersToKeep = append(s.queriersToKeep, *q)
	}
	s.keepMu.Unlock()
	if !first || !s.track() {
		return
	}
	go func() {
		defer s.wg.Done()
		select {
		case <-time.After(keepDelay):
		case <-s.ctx.Done():
			return
		}
		s.keepMu.Lock()
		pubs, queriers := s.toKeep, s.queriersToKeep
		s.toKeep, s.queriersToKeep = nil, nil
		s.keepMu.Unlock()
		s.keepNow(pubs, queriers)
	}()
}

// keepNow remembers pubs and the advertisements of queriers that are the
// querier's own, signed by the querier (see readQuerier), as remote
// entries. What the cache refuses is counted.
func (s *Service) keepNow(pubs []cache.Publication, queriers []querierAdv) {
	for _, q := range queriers {
		sa, err := readQuerier(q.source, q.query.PeerAdvText)
		if err != nil {
			s.dropped(q.source, fmt.Errorf("querier advertisement: %w", err))
			continue
		}
		life := min(protocol.DefaultExpiration, s.maxRemote)
		pubs = append(pubs, cache.Publication{Signed: sa, Lifetime: life, Expiration: life})
	}
	if len(pubs) == 0 {
		return
	}
	err := s.cache.Remember(s.group, pubs)
	if errors.Is(err, cache.ErrInvalid) {
		// One advertisement the cache refuses: keep the others.
		for _, p := range pubs {
			if err := s.cache.Remember(s.group, []cache.Publication{p}); err != nil {
				if !s.refused(err) {
					s.log.Debug("discovery: received advertisement not kept", "err", err)
				}
			}
		}
		return
	}
	if err != nil && !s.refused(err) {
		s.queriers.forget()
		s.log.Warn("discovery: keeping received advertisements", "err", err)
	}
}

// refused counts the publications that the cache refused by the rules of
// remote entries, if err reports them (a *cache.RefusedError).
func (s *Service) refused(err error) bool {
	var r *cache.RefusedError
	if !errors.As(err, &r) {
		return false
	}
	for _, err := range r.Refused {
		if err != nil {
			s.metrics.AdvDropped(dropReason(err), 1)
		}
	}
	s.log.Debug("discovery: received advertisements refused", "err", err)
	return true
}
