package membership_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/group/membership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const groupPassword = "zebra-quasar-7781-tangerine"

// newService returns a group's membership service of kind for a new peer
// (Password groups use groupPassword).
func newService(t *testing.T, kind membership.Kind) *membership.Service {
	t.Helper()
	var v string
	if kind == membership.Password {
		var err error
		v, err = membership.NewVerifier(groupPassword)
		require.NoError(t, err)
	}
	group := jxta.NewGroupID()
	s, err := membership.New(group, jxta.NewPeerID(group), kind, v)
	require.NoError(t, err)
	return s
}

func TestNoneMembershipLetsAnyoneJoin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	group := jxta.NewGroupID()
	peer := jxta.NewPeerID(group)
	s, err := membership.New(group, peer, membership.None, "")
	require.NoError(t, err)
	assert.Equal(t, membership.None, s.Kind())
	assert.False(t, s.NeedsPassword())

	before := time.Now()
	c, err := s.Join(ctx, "", "any password at all")
	require.NoError(t, err)
	assert.Equal(t, membership.Credential{Group: group, Peer: peer, Identity: "nobody", Kind: membership.None, Joined: c.Joined}, c)
	assert.False(t, c.Joined.Before(before))
	cur, ok := s.Current()
	require.True(t, ok)
	assert.Equal(t, c, cur)

	c, err = s.Join(ctx, "alice", "")
	require.NoError(t, err)
	cur, _ = s.Current()
	assert.Equal(t, "alice", cur.Identity, "a new join replaces the credential")

	require.NoError(t, s.Leave())
	_, ok = s.Current()
	assert.False(t, ok)
	assert.ErrorIs(t, s.Leave(), membership.ErrNotJoined)
}

func TestPasswordMembershipNeedsThePassword(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newService(t, membership.Password)
	assert.Equal(t, membership.Password, s.Kind())
	assert.True(t, s.NeedsPassword())

	_, err := s.Join(ctx, "mallory", "zebra-quasar-7781-tangerinE")
	assert.ErrorIs(t, err, membership.ErrWrongPassword)
	assert.Contains(t, err.Error(), "wrong password")
	_, err = s.Join(ctx, "mallory", "")
	assert.ErrorIs(t, err, membership.ErrWrongPassword)
	_, ok := s.Current()
	assert.False(t, ok, "a refused join must not join")

	c, err := s.Join(ctx, "alice", groupPassword)
	require.NoError(t, err)
	assert.Equal(t, "alice", c.Identity)
	assert.Equal(t, membership.Password, c.Kind)

	_, err = s.Join(ctx, "mallory", "guess")
	assert.ErrorIs(t, err, membership.ErrWrongPassword)
	cur, ok := s.Current()
	require.True(t, ok)
	assert.Equal(t, "alice", cur.Identity, "a refused join leaves the current credential")
}

func TestJoinRefusesBadIdentities(t *testing.T) {
	t.Parallel()
	s := newService(t, membership.None)
	for name, id := range map[string]string{
		"too long":          strings.Repeat("a", 257),
		"control character": "alice\nroot",
		"invalid UTF-8":     "alice\xff",
	} {
		_, err := s.Join(context.Background(), id, "")
		assert.ErrorIs(t, err, membership.ErrBadIdentity, name)
	}
	_, err := s.Join(context.Background(), strings.Repeat("é", 128), "")
	assert.NoError(t, err, "256 bytes of printable UTF-8 is a valid identity")
}

func TestJoinStopsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, kind := range []membership.Kind{membership.None, membership.Password} {
		s := newService(t, kind)
		_, err := s.Join(ctx, "alice", groupPassword)
		assert.ErrorIs(t, err, context.Canceled, kind)
		_, ok := s.Current()
		assert.False(t, ok, kind)
	}
}

func TestConcurrentJoins(t *testing.T) {
	t.Parallel()
	s := newService(t, membership.Password)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			pw := groupPassword
			if i%2 == 1 {
				pw = "wrong"
			}
			_, errs[i] = s.Join(context.Background(), "peer", pw)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if i%2 == 1 {
			assert.ErrorIs(t, err, membership.ErrWrongPassword)
		} else {
			assert.NoError(t, err)
		}
	}
	_, ok := s.Current()
	assert.True(t, ok)
}

func TestNewRefusesInconsistentArguments(t *testing.T) {
	t.Parallel()
	group := jxta.NewGroupID()
	peer := jxta.NewPeerID(group)
	v, err := membership.NewVerifier(groupPassword)
	require.NoError(t, err)

	_, err = membership.New(group, peer, membership.None, v)
	assert.Error(t, err, "a None group has no verifier")
	_, err = membership.New(group, peer, membership.Password, "")
	assert.ErrorIs(t, err, membership.ErrBadVerifier)
	_, err = membership.New(group, peer, "pse", "")
	assert.Error(t, err)
}

func TestParseKind(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]membership.Kind{"": membership.None, "none": membership.None, "password": membership.Password} {
		k, err := membership.ParseKind(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, k)
	}
	_, err := membership.ParseKind("Password")
	assert.Error(t, err)
	assert.Equal(t, jxta.MembershipNoneSpecID, membership.None.SpecID())
	assert.Equal(t, membership.PasswordSpecID, membership.Password.SpecID())
	assert.Equal(t, jxta.MembershipClassID, membership.PasswordSpecID.Class())
}
