package mcast

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// netnsEnv marks a test process running in a network namespace that a
// test made for it.
const netnsEnv = "GOJXTA_MCAST_TEST_NETNS"

// errNetnsNotPermitted reports that no network namespace can be made.
var errNetnsNotPermitted = errors.New("cannot make a network namespace")

// lan is where this process's tests multicast, found once.
var lan struct {
	once sync.Once
	ifi  *net.Interface // nil: the system's choice
	ok   bool
	why  string // why no interface works, when none does
}

// findLAN tries the loopback interface, then the system's choice, for one
// that carries a datagram from a socket back to the group's sockets.
func findLAN() {
	var why []string
	candidates := []*net.Interface{nil}
	if ifs, err := net.Interfaces(); err == nil {
		for i := range ifs {
			if ifs[i].Flags&net.FlagLoopback != 0 && ifs[i].Flags&net.FlagUp != 0 {
				candidates = append([]*net.Interface{&ifs[i]}, candidates...)
			}
		}
	}
	for _, ifi := range candidates {
		err := probe(ifi)
		if err == nil {
			lan.ifi, lan.ok = ifi, true
			return
		}
		name := "default interface"
		if ifi != nil {
			name = ifi.Name
		}
		why = append(why, fmt.Sprintf("%s: %v", name, err))
	}
	lan.why = fmt.Sprint(why)
}

// probe sends a datagram to a fresh group through ifi and waits for it to
// come back.
func probe(ifi *net.Interface) error {
	group := freeGroup()
	c, err := listen(group, ifi)
	if err != nil {
		return err
	}
	defer c.Close()
	nonce := fmt.Appendf(nil, "probe %d", rand.Uint64())
	if _, err := c.WriteToUDP(nonce, group); err != nil {
		return err
	}
	if err := c.SetReadDeadline(time.Now().Add(3 * time.Second)); err != nil {
		return err
	}
	buf := make([]byte, MaxDatagramSize)
	for {
		n, _, err := c.ReadFromUDP(buf)
		if err != nil {
			return fmt.Errorf("datagram did not come back: %w", err)
		}
		if bytes.Equal(buf[:n], nonce) {
			return nil
		}
	}
}

// freeGroup returns an administratively scoped group on a port no socket
// holds, so that tests (and test processes) running at once do not hear
// each other.
func freeGroup() *net.UDPAddr {
	port := 0
	if c, err := net.ListenUDP("udp4", &net.UDPAddr{}); err == nil {
		port = c.LocalAddr().(*net.UDPAddr).Port
		c.Close()
	}
	if port == 0 {
		port = 20000 + rand.IntN(20000)
	}
	return &net.UDPAddr{IP: net.IPv4(239, 255, byte(rand.IntN(256)), byte(1+rand.IntN(254))), Port: port}
}

// multicastLAN returns the interface the calling test multicasts on (nil:
// the system's choice) and true. Where no interface carries multicast
// between this machine's sockets, it runs the test again in a network
// namespace of its own, whose loopback interface does, fails if it failed
// there, and returns false: the caller returns at once. It skips the test
// only where no network namespace can be made either. Only top-level
// tests may call it.
func multicastLAN(t *testing.T) (*net.Interface, bool) {
	t.Helper()
	lan.once.Do(findLAN)
	if lan.ok {
		if lan.ifi != nil {
			t.Logf("multicast on %s", lan.ifi.Name)
		} else {
			t.Log("multicast on the default interface")
		}
		return lan.ifi, true
	}
	if os.Getenv(netnsEnv) != "" {
		t.Fatalf("multicast does not work even in the network namespace made for the test: %s", lan.why)
	}
	out, err := runInNetns(t)
	if errors.Is(err, errNetnsNotPermitted) {
		t.Skipf("no interface here carries multicast between local sockets (%s), and %v", lan.why, err)
	}
	require.NoError(t, err, "running %s in a network namespace:\n%s", t.Name(), out)
	require.Contains(t, out, "--- PASS: "+t.Name()+" ", "output in the network namespace:\n%s", out)
	t.Logf("no interface here carries multicast between local sockets (%s); passed in a network namespace of its own", lan.why)
	return nil, false
}
