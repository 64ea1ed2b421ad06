package shell

import (
	"errors"

	"github.com/gojxta/gojxta/jxta/node"
)

// ErrNoPeer is returned by peer commands in a shell that has no way to
// start a peer.
var ErrNoPeer = errors.New("this shell runs no peer")

// SetPeerStarter sets the function that starts the shell's peer. The peer
// starts on the first command that needs it, or at once with StartPeer.
func (s *Shell) SetPeerStarter(start func() (*node.Node, error)) { s.startPeer = start }

// StartPeer starts the shell's peer now if it is not running.
func (s *Shell) StartPeer() (*node.Node, error) {
	if s.peer != nil {
		return s.peer, nil
	}
	if s.startPeer == nil {
		return nil, ErrNoPeer
	}
	n, err := s.startPeer()
	if err != nil {
		return nil, err
	}
	s.peer = n
	return n, nil
}

// Peer returns the running peer, starting it if needed.
func (c *Call) Peer() (*node.Node, error) { return c.Shell.StartPeer() }

// Close stops what runs in the background (xfer logins) and the shell's
// peer, if one runs.
func (s *Shell) Close() error {
	s.xfers.closeAll()
	if s.peer == nil {
		return nil
	}
	err := s.peer.Close()
	s.peer = nil
	return err
}
