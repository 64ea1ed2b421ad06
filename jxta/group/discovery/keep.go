package discovery

import (
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// keepDelay is how long a querier's advertisement waits before it is
// kept, so that answers go out first and the advertisements of a burst of
// queriers are read and stored together.
const keepDelay = 100 * time.Millisecond

// querierAdv is a query whose querier's advertisement is to be kept.
type querierAdv struct {
	source jxta.PeerID
	query  *protocol.DiscoveryQuery
}

// keepQuerier keeps the advertisement of the querier source that dq
// carries for 2 hours, as JXSE does: a little later, in the background,
// so that answering does not wait for it and does not even read it. It is
// remembered without a disk write of its own (cache.Remember), and the
// same advertisement is stored again only after a quarter of that.
func (s *Service) keepQuerier(source jxta.PeerID, dq *protocol.DiscoveryQuery) {
	if dq.PeerAdvText == "" || !s.queriers.stale(source, dq.PeerAdvText, s.now()) {
		return
	}
	s.keepMu.Lock()
	s.toKeep = append(s.toKeep, querierAdv{source: source, query: dq})
	first := len(s.toKeep) == 1
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
		list := s.toKeep
		s.toKeep = nil
		s.keepMu.Unlock()
		s.keepQueriers(list)
	}()
}

// keepQueriers reads the querier advertisements of list and remembers
// those that are the querier's own.
func (s *Service) keepQueriers(list []querierAdv) {
	var pubs []cache.Publication
	for _, q := range list {
		pa, err := q.query.ReadPeerAdv(wireRegistry)
		if err != nil || pa == nil || pa.PeerID != q.source {
			s.log.Debug("discovery: querier advertisement not kept", "querier", q.source, "err", err)
			continue
		}
		pubs = append(pubs, cache.Publication{Adv: pa, Lifetime: protocol.DefaultExpiration, Expiration: protocol.DefaultExpiration})
	}
	if len(pubs) == 0 {
		return
	}
	if err := s.cache.Remember(s.group, pubs); err != nil {
		s.queriers.forget()
		s.log.Warn("discovery: keeping querier advertisements", "err", err)
	}
}
