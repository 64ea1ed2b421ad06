package admission

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/membership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The group every test peer runs, and its password's verifier (made once:
// each costs an argon2id run).
var (
	testGroup       = jxta.NewGroupID()
	testVerifier, _ = membership.NewVerifier("open sesame")
)

// testPeer is an endpoint, a membership service of testGroup and a Gate
// in front of a test service that records what it is delivered.
type testPeer struct {
	ep   *endpoint.Endpoint
	m    *membership.Service
	gate *Gate

	mu  sync.Mutex
	got []string // "<peer name>:<text>", in order of delivery
}

// newTestPeer starts a peer; password is the password it joins with ("":
// it does not join), verifier the group's verifier it believes in.
func newTestPeer(t *testing.T, mem *endpoint.MemNetwork, name, verifier, password string) *testPeer {
	t.Helper()
	cfg := endpoint.Config{Name: name}
	if mem != nil {
		cfg.Listen = []jxta.Address{{Protocol: "mem", Host: name}}
		cfg.Transports = []endpoint.Transport{mem}
	} else {
		cfg.Listen = []jxta.Address{jxta.MustParseAddress("tcp://127.0.0.1:0")}
	}
	ep, err := endpoint.New(cfg)
	require.NoError(t, err)
	m, err := membership.New(testGroup, ep.ID(), membership.Password, verifier)
	require.NoError(t, err)
	if password != "" {
		_, err = m.Join(context.Background(), name, password)
		require.NoError(t, err)
	}
	gate, err := New(Config{Group: testGroup, Endpoint: ep, Membership: m, Timeout: time.Second, RetryAfter: 300 * time.Millisecond})
	require.NoError(t, err)
	p := &testPeer{ep: ep, m: m, gate: gate}
	ep.HandleFunc("test", testGroup.Unique(), endpoint.Gated(gate, func(in *endpoint.Incoming) {
		text, _ := in.Message.String(jxta.NamespaceJXTA, "text")
		p.mu.Lock()
		p.got = append(p.got, text)
		p.mu.Unlock()
	}))
	t.Cleanup(func() {
		gate.Close()
		ep.Close()
	})
	return p
}

// received returns what the test service was delivered.
func (p *testPeer) received() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.got...)
}

// send sends texts to to's test service, connecting first.
func (p *testPeer) send(t *testing.T, to *testPeer, texts ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := p.ep.Connect(ctx, to.ep.Addresses()[0])
	require.NoError(t, err)
	for _, text := range texts {
		m := jxta.NewMessage()
		m.AddString(jxta.NamespaceJXTA, "text", text)
		require.NoError(t, p.ep.SendTo(ctx, to.ep.ID(), "test", testGroup.Unique(), m))
	}
}

func both(t *testing.T, f func(t *testing.T, mem *endpoint.MemNetwork)) {
	t.Run("tcp", func(t *testing.T) { f(t, nil) })
	t.Run("mem", func(t *testing.T) { f(t, endpoint.NewMemNetwork()) })
}

func TestMemberIsAdmittedAndItsTrafficKeepsItsOrder(t *testing.T) {
	both(t, func(t *testing.T, mem *endpoint.MemNetwork) {
		alice := newTestPeer(t, mem, "alice", testVerifier, "open sesame")
		bob := newTestPeer(t, mem, "bob", testVerifier, "open sesame")
		var want []string
		for i := range 50 {
			want = append(want, fmt.Sprint("m", i))
		}
		// The first messages wait while bob proves his membership; they
		// and the later ones arrive in the order sent.
		bob.send(t, alice, want...)
		require.Eventually(t, func() bool { return len(alice.received()) == len(want) }, 5*time.Second, 5*time.Millisecond)
		assert.Equal(t, want, alice.received())
		assert.True(t, alice.gate.Admitted(bob.ep.ID()))
		assert.False(t, bob.gate.Admitted(alice.ep.ID()), "bob has not been sent anything by alice: he has not challenged her")
		assert.NoError(t, alice.gate.Ready())
	})
}

func TestNonMemberIsRefusedAtOnce(t *testing.T) {
	both(t, func(t *testing.T, mem *endpoint.MemNetwork) {
		alice := newTestPeer(t, mem, "alice", testVerifier, "open sesame")
		eve := newTestPeer(t, mem, "eve", testVerifier, "") // has not joined
		require.ErrorIs(t, eve.gate.Ready(), ErrNotMember)

		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := eve.ep.Connect(ctx, alice.ep.Addresses()[0])
		require.NoError(t, err)
		err = alice.gate.AdmitStream(ctx, eve.ep.ID())
		require.ErrorIs(t, err, ErrNotMember)
		assert.Contains(t, err.Error(), "this peer has not joined the group", "eve's own answer")
		assert.Less(t, time.Since(start), time.Second, "refused on eve's answer, before the timeout")

		eve.send(t, alice, "let me in")
		time.Sleep(100 * time.Millisecond)
		assert.Empty(t, alice.received())
	})
}

func TestWrongProofIsRefused(t *testing.T) {
	both(t, func(t *testing.T, mem *endpoint.MemNetwork) {
		alice := newTestPeer(t, mem, "alice", testVerifier, "open sesame")
		// Mallory believes in a verifier of her own and "joins" with its
		// password: her proofs are made with the wrong key.
		other, err := membership.NewVerifier("a guess")
		require.NoError(t, err)
		mallory := newTestPeer(t, mem, "mallory", other, "a guess")
		require.NoError(t, mallory.gate.Ready())

		mallory.send(t, alice, "one", "two")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = alice.gate.AdmitStream(ctx, mallory.ep.ID())
		require.ErrorIs(t, err, ErrNotMember)
		require.ErrorIs(t, err, membership.ErrBadProof)
		assert.Empty(t, alice.received(), "the held messages are dropped")
		assert.False(t, alice.gate.Admitted(mallory.ep.ID()))
	})
}

func TestSilentPeerIsRefusedAfterTheTimeoutAndRetriedLater(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	alice := newTestPeer(t, mem, "alice", testVerifier, "open sesame")
	bob := newTestPeer(t, mem, "bob", testVerifier, "open sesame")
	// Bob's challenges go unanswered: his gate's handler is gone.
	bob.ep.Handle(Service, bob.gate.challenge, nil)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := bob.ep.Connect(ctx, alice.ep.Addresses()[0])
	require.NoError(t, err)
	start := time.Now()
	err = alice.gate.AdmitStream(ctx, bob.ep.ID())
	require.ErrorIs(t, err, ErrNotMember)
	assert.Contains(t, err.Error(), "no proof")
	assert.GreaterOrEqual(t, time.Since(start), time.Second, "Config.Timeout")

	// Refused: dropped at once, without a new challenge.
	start = time.Now()
	err = alice.gate.AdmitStream(ctx, bob.ep.ID())
	require.ErrorIs(t, err, ErrNotMember)
	assert.Less(t, time.Since(start), 100*time.Millisecond)

	// After RetryAfter he is challenged again, and answers now.
	bob.ep.HandleFunc(Service, bob.gate.challenge, bob.gate.serveChallenge)
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, alice.gate.AdmitStream(ctx, bob.ep.ID()))
}

func TestAPeerIsProvedAgainAfterItReconnects(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	alice := newTestPeer(t, mem, "alice", testVerifier, "open sesame")
	bob := newTestPeer(t, mem, "bob", testVerifier, "open sesame")
	bob.send(t, alice, "first")
	require.Eventually(t, func() bool { return alice.gate.Admitted(bob.ep.ID()) }, 5*time.Second, 5*time.Millisecond)
	alice.ep.Disconnect(bob.ep.ID())
	require.Eventually(t, func() bool { return !alice.gate.Admitted(bob.ep.ID()) }, 5*time.Second, 5*time.Millisecond)
	bob.send(t, alice, "second")
	require.Eventually(t, func() bool { return len(alice.received()) == 2 }, 5*time.Second, 5*time.Millisecond)
	assert.Equal(t, []string{"first", "second"}, alice.received())
}

func TestUnjoinedAnswersForGroupsWithoutAGate(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	alice := newTestPeer(t, mem, "alice", testVerifier, "open sesame")
	ep, err := endpoint.New(endpoint.Config{Name: "stranger", Listen: []jxta.Address{{Protocol: "mem", Host: "stranger"}}, Transports: []endpoint.Transport{mem}})
	require.NoError(t, err)
	u := NewUnjoined(ep)
	t.Cleanup(func() {
		u.Close()
		ep.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = ep.Connect(ctx, alice.ep.Addresses()[0])
	require.NoError(t, err)
	start := time.Now()
	err = alice.gate.AdmitStream(ctx, ep.ID())
	require.ErrorIs(t, err, ErrNotMember)
	assert.Contains(t, err.Error(), notJoined)
	assert.Less(t, time.Since(start), time.Second)
}

func TestSelfIsAdmitted(t *testing.T) {
	alice := newTestPeer(t, endpoint.NewMemNetwork(), "alice", testVerifier, "")
	assert.NoError(t, alice.gate.AdmitStream(context.Background(), alice.ep.ID()))
	assert.True(t, alice.gate.Admitted(alice.ep.ID()))
}
