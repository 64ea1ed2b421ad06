package endpoint

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/identity"
)

// tlsProtocol is the ALPN protocol of gojxta's secure framing.
const tlsProtocol = "gojxta/2"

// secure runs the TLS 1.3 handshake on conn, the dialer as TLS client.
// Both sides present their self-signed certificate, and each checks that
// the other's key is the one of the peer ID it announced in its welcome
// line (peer): a peer that cannot prove its ID gets no connection, and
// neither does a man in the middle, which holds neither key.
//
// There is no certificate authority: crypto/tls's chain verification is
// replaced by identity.CheckPeer (InsecureSkipVerify skips only the
// chain, not the check). Session resumption is off, so that every
// connection proves its key afresh.
func (e *Endpoint) secure(ctx context.Context, conn net.Conn, outbound bool, peer jxta.PeerID) (*tls.Conn, error) {
	cfg := &tls.Config{
		MinVersion:             tls.VersionTLS13,
		Certificates:           []tls.Certificate{e.cert},
		NextProtos:             []string{tlsProtocol},
		InsecureSkipVerify:     true,
		ClientAuth:             tls.RequireAnyClientCert,
		SessionTicketsDisabled: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			_, err := identity.CheckPeer(raw, peer)
			return err
		},
	}
	var tc *tls.Conn
	if outbound {
		tc = tls.Client(conn, cfg)
	} else {
		tc = tls.Server(conn, cfg)
	}
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, err
	}
	if tc.ConnectionState().NegotiatedProtocol != tlsProtocol {
		tc.Close()
		return nil, ErrPlaintextPeer
	}
	return tc, nil
}
