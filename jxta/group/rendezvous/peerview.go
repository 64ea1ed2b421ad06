package rendezvous

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// The peer view gossip elements (namespace jxta). PeerView.PeerAdv and
// PeerView.PeerAdv.Response are JXSE's probe and answer; the samples are
// ours: PeerView.Sample holds one view entry's advertisement and the
// PeerView.SampleHeard that follows it the entry's peer ID and the time
// (ms since the epoch) it was last heard of, separated by a space, so that
// a receiver parses only the advertisements of peers new to it.
const (
	elementProbe        = "PeerView.PeerAdv"
	elementProbeReply   = "PeerView.PeerAdv.Response"
	elementSample       = "PeerView.Sample"
	elementSampleHeard  = "PeerView.SampleHeard"
	maxSample           = 32
	maxView             = 1000
	viewExpiryInPeriods = 30
)

// viewEntry is a rendezvous in the peer view.
type viewEntry struct {
	id    jxta.PeerID
	doc   []byte    // the rendezvous's advertisement, as received
	heard time.Time // last heard of, directly or through a sample
}

// rendezvousLoop gossips every period, expires edges and view entries, and
// drops the edges that disconnect.
func (s *Service) rendezvousLoop() {
	defer s.wg.Done()
	t := time.NewTicker(s.cfg.GossipPeriod)
	defer t.Stop()
	s.gossip()
	for {
		select {
		case <-s.ctx.Done():
			return
		case ev := <-s.sub.C:
			if ev.Kind == endpoint.PeerDisconnected {
				s.dropEdge(ev.Peer)
			}
		case <-t.C:
			s.expire(time.Now())
			s.gossip()
		}
	}
}

// expire drops lapsed leases and view entries not heard of for a while.
func (s *Service) expire(now time.Time) {
	var edges, gone []jxta.PeerID
	s.mu.Lock()
	for p, exp := range s.edges {
		if !now.Before(exp) {
			delete(s.edges, p)
			edges = append(edges, p)
		}
	}
	limit := time.Duration(viewExpiryInPeriods) * s.cfg.GossipPeriod
	for p, e := range s.view {
		if now.Sub(e.heard) > limit {
			delete(s.view, p)
			gone = append(gone, p)
		}
	}
	s.mu.Unlock()
	for _, p := range edges {
		s.notify(EdgeDisconnected, p)
	}
	for _, p := range gone {
		s.notify(ViewRemoved, p)
	}
}

// gossip sends a probe with a sample of the view to a random view member,
// or to a seed while the view is empty or a seed is not in it.
func (s *Service) gossip() {
	var candidates []jxta.PeerID
	for _, p := range s.cfg.Seeds() {
		if p != s.ep.ID() && !p.IsNull() && !s.inView(p) {
			candidates = append(candidates, p)
		}
	}
	if len(candidates) == 0 {
		candidates = s.PeerView()
	}
	if len(candidates) == 0 {
		return
	}
	to := candidates[rand.IntN(len(candidates))]
	ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
	defer cancel()
	if err := s.ep.SendTo(ctx, to, PeerViewService, s.unique, s.gossipMessage(elementProbe, to)); err != nil {
		s.log.Debug("rendezvous: gossip", "to", to, "err", err)
	}
}

func (s *Service) inView(p jxta.PeerID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.view[p]
	return ok
}

// gossipMessage is this rendezvous's advertisement under kind and a
// random sample of its view, without the peer it goes to.
func (s *Service) gossipMessage(kind string, to jxta.PeerID) *jxta.Message {
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, kind, advert.Marshal(s.self()))
	s.mu.Lock()
	entries := make([]viewEntry, 0, len(s.view))
	for p, e := range s.view {
		if p != to {
			entries = append(entries, *e)
		}
	}
	s.mu.Unlock()
	rand.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
	for _, e := range entries[:min(len(entries), maxSample)] {
		m.AddXML(jxta.NamespaceJXTA, elementSample, e.doc)
		m.AddString(jxta.NamespaceJXTA, elementSampleHeard, e.id.String()+" "+strconv.FormatInt(e.heard.UnixMilli(), 10))
	}
	return m
}

// serveGossip merges a probe or an answer into the view and answers a
// probe with a sample of its own.
func (s *Service) serveGossip(in *endpoint.Incoming) {
	probe, isProbe := in.Message.Get(jxta.NamespaceJXTA, elementProbe)
	if !isProbe {
		var ok bool
		if probe, ok = in.Message.Get(jxta.NamespaceJXTA, elementProbeReply); !ok {
			s.log.Warn("rendezvous: peer view message without an advertisement dropped", "peer", in.Peer)
			return
		}
	}
	sender, err := advert.ParseAs[*advert.PeerAdv](probe.Data)
	if err != nil || sender.PeerID != in.Peer {
		s.log.Warn("rendezvous: bad peer view message dropped", "peer", in.Peer, "err", err)
		return
	}
	now := time.Now()
	s.merge(sender, probe.Data, now)
	samples := in.Message.GetAll(jxta.NamespaceJXTA, elementSample)
	heards := in.Message.GetAll(jxta.NamespaceJXTA, elementSampleHeard)
	for i := 0; i < min(len(samples), len(heards), maxSample); i++ {
		idText, msText, ok := strings.Cut(string(heards[i].Data), " ")
		ms, err := strconv.ParseInt(msText, 10, 64)
		if !ok || err != nil || ms <= 0 {
			continue
		}
		id, err := jxta.ParsePeerID(idText)
		if err != nil || id == s.ep.ID() {
			continue
		}
		heard := min64Time(time.UnixMilli(ms), now)
		if s.refresh(id, heard) {
			continue // known: no need to read its advertisement
		}
		pa, err := advert.ParseAs[*advert.PeerAdv](samples[i].Data)
		if err != nil || pa.PeerID != id {
			continue
		}
		s.merge(pa, samples[i].Data, heard)
	}
	if isProbe && s.track() {
		go func() {
			defer s.wg.Done()
			ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
			defer cancel()
			if err := s.ep.SendTo(ctx, in.Peer, PeerViewService, s.unique, s.gossipMessage(elementProbeReply, in.Peer)); err != nil {
				s.log.Debug("rendezvous: gossip answer", "to", in.Peer, "err", err)
			}
		}()
	}
}

func min64Time(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// refresh updates the heard-of time of a view entry and reports whether
// the peer is in the view.
func (s *Service) refresh(id jxta.PeerID, heard time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.view[id]
	if ok && heard.After(e.heard) {
		e.heard = heard
	}
	return ok
}

// merge adds or refreshes a view entry heard of at heard; doc is pa as
// received.
func (s *Service) merge(pa *advert.PeerAdv, doc []byte, heard time.Time) {
	if pa.PeerID == s.ep.ID() {
		return
	}
	added := false
	s.mu.Lock()
	e, ok := s.view[pa.PeerID]
	switch {
	case ok:
		if heard.After(e.heard) {
			e.heard, e.doc = heard, append([]byte(nil), doc...)
		}
	case len(s.view) < maxView && time.Since(heard) < time.Duration(viewExpiryInPeriods)*s.cfg.GossipPeriod:
		s.view[pa.PeerID] = &viewEntry{id: pa.PeerID, doc: append([]byte(nil), doc...), heard: heard}
		added = true
	}
	s.mu.Unlock()
	if added {
		if _, known := s.ep.Peer(pa.PeerID); !known {
			s.ep.AddPeer(pa)
		}
		s.notify(ViewAdded, pa.PeerID)
	}
}
