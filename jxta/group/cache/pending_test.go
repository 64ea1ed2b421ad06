package cache

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPendingAndStoredAgree publishes the same advertisements into two
// caches, one of which moves every publication into the B+tree at once,
// the other only some of them (the rest stay pending, some replacing
// stored entries): every search gives the same entries in the same order.
func TestPendingAndStoredAgree(t *testing.T) {
	t.Parallel()
	clk := newClock()
	stored, _ := openTest(t, Options{Clock: clk.Now})
	mixed, _ := openTest(t, Options{Clock: clk.Now})
	mixed.flushDelay = time.Hour // only the test flushes
	g := jxta.NewGroupID()
	rng := rand.New(rand.NewPCG(7, 8))
	var pipes []*advert.PipeAdv
	for i := range 60 {
		var p *advert.PipeAdv
		if i >= 20 && rng.IntN(3) == 0 {
			// Republish an earlier pipe under another name.
			old := pipes[rng.IntN(len(pipes))]
			cp := *old
			cp.Name = fmt.Sprintf("re-%02d", i)
			p = &cp
		} else {
			p = pipe(g, fmt.Sprintf("n-%02d-%c", i%17, 'a'+rune(i%5)))
		}
		pipes = append(pipes, p)
		lifetime := time.Duration(1+rng.IntN(5)) * time.Hour
		for _, c := range []*Cache{stored, mixed} {
			require.NoError(t, c.Publish(g, p, lifetime, exp))
		}
		require.NoError(t, stored.flush(nil))
		if rng.IntN(4) == 0 && i < 50 {
			require.NoError(t, mixed.flush(nil))
		}
		if i == 40 {
			require.NoError(t, stored.Publish(g, peer(g, "a peer"), life, exp))
			require.NoError(t, stored.flush(nil))
			require.NoError(t, mixed.Publish(g, peer(g, "a peer"), life, exp))
		}
	}
	require.NotZero(t, mixed.pending.len(), "some entries pending")
	clk.Advance(90 * time.Minute) // some lifetimes end
	for _, q := range []struct{ attr, value string }{
		{"", ""}, {"Name", "*"}, {"Name", "n-0*"}, {"Name", "n-1*"}, {"Name", "*-a"}, {"Name", "*1*"},
		{"Name", "re-*"}, {"Name", pipes[3].Name}, {"Id", pipes[5].PipeID.String()}, {"Id", "*"},
	} {
		for _, threshold := range []int{1, 3, 10, 100} {
			want, err := stored.Search(g, advert.Adv, q.attr, q.value, threshold)
			require.NoError(t, err)
			got, err := mixed.Search(g, advert.Adv, q.attr, q.value, threshold)
			require.NoError(t, err)
			assert.Equal(t, keys(want), keys(got), "%s=%q threshold %d", q.attr, q.value, threshold)
		}
	}
	assert.Equal(t, stored.Len(g), mixed.Len(g))
	for _, p := range pipes {
		e1, ok1, err := stored.Get(g, Key(p))
		require.NoError(t, err)
		e2, ok2, err := mixed.Get(g, Key(p))
		require.NoError(t, err)
		assert.Equal(t, ok1, ok2)
		assert.Equal(t, e1.Doc, e2.Doc)
		assert.Equal(t, e1.Expires, e2.Expires)
	}
}

func TestRememberIsVisibleAtOnceAndStoredOnClose(t *testing.T) {
	t.Parallel()
	c, path := openTest(t, Options{})
	g := jxta.NewGroupID()
	p := pipe(g, "from a peer")
	require.NoError(t, c.Remember(g, []Publication{{Adv: p, Lifetime: time.Hour, Expiration: time.Hour}}))
	got, err := c.Search(g, advert.Adv, "Name", "from a peer", 1)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.True(t, journalEmpty(c.journal), "nothing written to the journal")

	require.NoError(t, c.Close())
	c2, err := Open(path, Options{CollectInterval: -1})
	require.NoError(t, err)
	defer c2.Close()
	_, ok, err := c2.Get(g, Key(p))
	require.NoError(t, err)
	assert.True(t, ok, "moved into the file on Close")
}

func TestAVolatileCachePublishesWithoutTheJournal(t *testing.T) {
	t.Parallel()
	c, path := openTest(t, Options{Volatile: true})
	g := jxta.NewGroupID()
	p := pipe(g, "ephemeral")
	require.NoError(t, c.Publish(g, p, time.Hour, time.Hour))
	e, ok, err := c.Get(g, Key(p))
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, e.Own, "an own entry all the same")
	assert.Nil(t, c.journal.f, "no journal file held open")

	require.NoError(t, c.Close())
	c2, err := Open(path, Options{CollectInterval: -1})
	require.NoError(t, err)
	defer c2.Close()
	_, ok, err = c2.Get(g, Key(p))
	require.NoError(t, err)
	assert.True(t, ok, "moved into the file on Close")
}

func TestBackgroundFlushEmptiesTheJournal(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, Options{})
	g := jxta.NewGroupID()
	var ps []Publication
	for i := range flushBatch {
		ps = append(ps, Publication{Adv: pipe(g, fmt.Sprint("p", i)), Lifetime: life, Expiration: exp})
	}
	require.NoError(t, c.PublishAll(g, ps[:1]))
	require.NoError(t, c.PublishAll(g, ps[1:]), "reaching flushBatch starts a flush")
	require.Eventually(t, func() bool {
		c.jmu.Lock()
		defer c.jmu.Unlock()
		return c.pending.len() == 0 && journalEmpty(c.journal)
	}, 10*time.Second, time.Millisecond)
	assert.Equal(t, flushBatch, c.Len(g))
}
