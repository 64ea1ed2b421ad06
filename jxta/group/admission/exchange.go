package admission

import (
	"context"
	"strings"
	"sync"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/membership"
)

// Service is the endpoint service of the exchange: the membership
// service's class ID. Its parameters are the group's unique value
// followed by one of the suffixes below.
var Service = jxta.MembershipClassID.String()

// Parameter suffixes of the exchange's messages.
const (
	challengeSuffix = "Challenge" // verifier → prover: nonce
	proofSuffix     = "Proof"     // prover → verifier: nonce and proof, or not-member
	refusedSuffix   = "Refused"   // verifier → refused peer: reason
)

// Elements of the exchange's messages, in the jxta namespace.
const (
	nonceElement     = "MembershipNonce"
	proofElement     = "MembershipProof"
	notMemberElement = "MembershipNotMember"
	reasonElement    = "MembershipRefused"
)

// send sends one element to peer's membership service parameter param.
func (g *Gate) send(ctx context.Context, peer jxta.PeerID, param, element string, data []byte) error {
	msg := jxta.NewMessage()
	msg.AddBytes(jxta.NamespaceJXTA, element, data)
	return g.cfg.Endpoint.SendTo(ctx, peer, Service, param, msg)
}

// serveChallenge answers a peer's challenge with this peer's proof, or
// says that this peer is not a member.
func (g *Gate) serveChallenge(in *endpoint.Incoming) {
	el, ok := in.Message.Get(jxta.NamespaceJXTA, nonceElement)
	if !ok || len(el.Data) != membership.NonceLen {
		g.log.Debug("admission: bad challenge dropped", "peer", in.Peer)
		return
	}
	nonce := el.Data
	reply := jxta.NewMessage()
	reply.AddBytes(jxta.NamespaceJXTA, nonceElement, nonce)
	if proof, err := g.cfg.Membership.Prove(in.Peer, nonce); err == nil {
		reply.AddBytes(jxta.NamespaceJXTA, proofElement, proof)
	} else {
		reply.AddString(jxta.NamespaceJXTA, notMemberElement, notJoined)
	}
	g.reply(in.Peer, g.proof, reply)
}

// reply sends msg to peer's parameter param, on its own goroutine: the
// handlers run on the connection's reader.
func (g *Gate) reply(peer jxta.PeerID, param string, msg *jxta.Message) {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return
	}
	g.wg.Add(1)
	g.mu.Unlock()
	go func() {
		defer g.wg.Done()
		ctx, cancel := context.WithTimeout(g.ctx, g.cfg.Timeout)
		defer cancel()
		if err := g.cfg.Endpoint.SendTo(ctx, peer, Service, param, msg); err != nil {
			g.log.Debug("admission: answer not sent", "peer", peer, "err", err)
		}
	}()
}

// serveProof hands a peer's answer to the challenge waiting for it.
func (g *Gate) serveProof(in *endpoint.Incoming) {
	el, ok := in.Message.Get(jxta.NamespaceJXTA, nonceElement)
	if !ok {
		return
	}
	var a answer
	if el, ok := in.Message.Get(jxta.NamespaceJXTA, proofElement); ok {
		a.proof = el.Data
	} else if text, ok := in.Message.String(jxta.NamespaceJXTA, notMemberElement); ok {
		a.notMember = clip(text)
	} else {
		return
	}
	g.mu.Lock()
	st := g.peers[in.Peer]
	if st == nil || st.status != proving || string(st.nonce) != string(el.Data) {
		g.mu.Unlock()
		return // an answer to no challenge of ours
	}
	select {
	case st.answer <- a:
	default:
	}
	g.mu.Unlock()
}

// serveRefused logs, once per peer and connection, that a peer refuses
// this peer's traffic in the group.
func (g *Gate) serveRefused(in *endpoint.Incoming) {
	g.mu.Lock()
	told := g.told[in.Peer]
	g.told[in.Peer] = true
	g.mu.Unlock()
	if told {
		return
	}
	reason, _ := in.Message.String(jxta.NamespaceJXTA, reasonElement)
	if err := g.Ready(); err != nil {
		g.log.Warn("admission: a member refuses this peer's traffic in the group", "peer", in.Peer, "reason", clip(reason), "err", err)
		return
	}
	g.log.Warn("admission: a peer refuses this peer's traffic in the group", "peer", in.Peer, "reason", clip(reason))
}

// clip bounds a peer's text before it reaches a log.
func clip(s string) string {
	const max = 200
	s = strings.ToValidUTF8(s, "?")
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

// notJoined is what a peer that has not joined answers a challenge.
const notJoined = "this peer has not joined the group"

// Unjoined answers the challenges of groups this peer runs no Gate for:
// it is not a member, so that the challenger refuses at once rather than
// after its timeout. A peer registers it for the membership service with
// no parameter (the endpoint's fallback).
type Unjoined struct {
	ep     *endpoint.Endpoint
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewUnjoined registers the fallback handler of the membership service
// on ep.
func NewUnjoined(ep *endpoint.Endpoint) *Unjoined {
	u := &Unjoined{ep: ep}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	ep.Handle(Service, "", u)
	return u
}

// Close removes the handler and waits for the answers under way.
func (u *Unjoined) Close() error {
	u.ep.Handle(Service, "", nil)
	u.cancel()
	u.wg.Wait()
	return nil
}

// HandleMessage answers a challenge with "not a member".
func (u *Unjoined) HandleMessage(in *endpoint.Incoming) {
	unique, ok := strings.CutSuffix(in.Dest.Param, challengeSuffix)
	el, okNonce := in.Message.Get(jxta.NamespaceJXTA, nonceElement)
	if !ok || !okNonce || len(el.Data) != membership.NonceLen || in.Peer == u.ep.ID() || u.ctx.Err() != nil {
		return
	}
	reply := jxta.NewMessage()
	reply.AddBytes(jxta.NamespaceJXTA, nonceElement, el.Data)
	reply.AddString(jxta.NamespaceJXTA, notMemberElement, notJoined)
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		ctx, cancel := context.WithTimeout(u.ctx, DefaultTimeout)
		defer cancel()
		_ = u.ep.SendTo(ctx, in.Peer, Service, unique+proofSuffix, reply)
	}()
}
