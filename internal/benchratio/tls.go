package benchratio

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/libp2p/go-yamux/v5"
)

// TLSPair returns both ends of a TLS 1.3 connection from crypto/tls over a
// TCP pair on loopback, each side with a self-signed Ed25519 certificate
// and asking for the other's (as gojxta's connections do, without their
// peer ID check), closed when the benchmark ends: the secure baseline.
func TLSPair(tb testing.TB) (client, server *tls.Conn) {
	tb.Helper()
	cc, sc := TCPPair(tb)
	return TLSHandshake(tb, cc, sc)
}

// TLSConfig returns a TLS 1.3 configuration with a fresh self-signed
// Ed25519 certificate that asks for the peer's and accepts any.
func TLSConfig(tb testing.TB) *tls.Config {
	tb.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		tb.Fatal(err)
	}
	return &tls.Config{
		MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		InsecureSkipVerify: true, ClientAuth: tls.RequireAnyClientCert, SessionTicketsDisabled: true,
	}
}

// TLSHandshake runs a TLS 1.3 handshake over cc (client) and sc (server)
// and returns the two secure ends.
func TLSHandshake(tb testing.TB, cc, sc net.Conn) (client, server *tls.Conn) {
	tb.Helper()
	client, server = tls.Client(cc, TLSConfig(tb)), tls.Server(sc, TLSConfig(tb))
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	if err := client.Handshake(); err != nil {
		tb.Fatal(err)
	}
	if err := <-errc; err != nil {
		tb.Fatal(err)
	}
	return client, server
}

// YamuxTLSPair returns both ends of one bare go-yamux stream over a
// TLSPair, with cfg on both sides: the floor of a secure multiplexed
// stream.
func YamuxTLSPair(tb testing.TB, cfg *yamux.Config) (client, server *yamux.Stream) {
	tb.Helper()
	cs, ss := YamuxTLSSessions(tb, cfg)
	return streamPair(tb, cs, ss)
}

// YamuxTLSSessions returns a bare go-yamux client and server session over
// a TLSPair, with cfg on both sides, closed when the benchmark ends: the
// floor of opening secure multiplexed streams.
func YamuxTLSSessions(tb testing.TB, cfg *yamux.Config) (client, server *yamux.Session) {
	tb.Helper()
	cc, sc := TLSPair(tb)
	client, err := yamux.Client(cc, cfg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	server, err = yamux.Server(sc, cfg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}
