package pipe

import (
	"context"
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// Unicast messages for a pipe nobody binds here are answered with an
// "unbound" notice to the sender's pipe service, which then forgets that
// this peer bound the pipe: the next message resolves the pipe again
// instead of going on being lost (the message itself is lost, as JXTA's
// unicast pipes could always lose one).

// unboundParam is the endpoint parameter, after the group's unique value,
// of unbound notices.
const unboundParam = "/unbound"

// unboundElement names the pipe in an unbound notice.
const unboundElement = "PipeId"

// noticeTimeout bounds sending one unbound notice.
const noticeTimeout = time.Second

// UnboundHandler answers unicast pipe messages that reach no input pipe
// (UnicastService with a parameter no pipe service registered) with an
// unbound notice. A peer registers it once on its endpoint as the handler
// of UnicastService for every parameter.
func UnboundHandler(ep *endpoint.Endpoint) endpoint.Handler {
	return endpoint.HandlerFunc(func(in *endpoint.Incoming) {
		ep.Logger().Debug("pipe: message for a pipe not bound here", "peer", in.Peer, "param", in.Dest.Param)
		group, pipeID, ok := strings.Cut(in.Dest.Param, "/")
		if !ok || strings.HasPrefix(pipeID, "unbound") || in.Peer == ep.ID() {
			return
		}
		m := jxta.NewMessage()
		m.AddString(jxta.NamespaceJXTA, unboundElement, pipeID)
		// On the connection the message came by: quick, and bounded if
		// the sender stops reading.
		ctx, cancel := context.WithTimeout(context.Background(), noticeTimeout)
		defer cancel()
		_ = ep.SendTo(ctx, in.Peer, UnicastService, group+unboundParam, m)
	})
}

// serveUnbound forgets that the sender of a notice bound its pipe.
func (s *Service) serveUnbound(in *endpoint.Incoming) {
	text, ok := in.Message.String(jxta.NamespaceJXTA, unboundElement)
	if !ok {
		return
	}
	id, err := jxta.ParsePipeID(text)
	if err != nil {
		s.log.Debug("pipe: bad unbound notice dropped", "peer", in.Peer, "err", err)
		return
	}
	s.resolved.forget(id, in.Peer)
}
