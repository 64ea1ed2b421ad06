package cache

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	day  = 24 * time.Hour
	life = 365 * day
	exp  = 2 * time.Hour
)

func TestKey(t *testing.T) {
	t.Parallel()
	g := jxta.NewGroupID()
	pa := peer(g, "alice")
	pga := group("chat")
	p := pipe(g, "in")
	mca := &advert.ModuleClassAdv{ClassID: jxta.NewModuleClassID(), Name: "svc"}
	msa := &advert.ModuleSpecAdv{SpecID: jxta.NewModuleSpecID(mca.ClassID), Name: "svc"}
	mia := &advert.ModuleImplAdv{SpecID: msa.SpecID, Compat: advert.JXSECompat(), Code: "a.B"}
	ra := &advert.RouteAdv{DstPeerID: pa.PeerID, Dst: &advert.AccessPointAdv{Addresses: []string{"tcp://1.2.3.4:9701"}}}
	rdv := &advert.RdvAdv{GroupID: g, PeerID: pa.PeerID, ServiceName: "x"}

	assert.Equal(t, pa.PeerID.String(), Key(pa))
	assert.Equal(t, pga.GroupID.String(), Key(pga))
	assert.Equal(t, p.PipeID.String(), Key(p))
	assert.Equal(t, mca.ClassID.String(), Key(mca))
	assert.Equal(t, msa.SpecID.String(), Key(msa))
	assert.Equal(t, "jxta:RA/"+pa.PeerID.String(), Key(ra))
	assert.Equal(t, "jxta:RdvAdvertisement/"+pa.PeerID.String(), Key(rdv))
	// An MIA is known by its content: one spec may have several.
	assert.True(t, strings.HasPrefix(Key(mia), "sha1:"), Key(mia))
	assert.Len(t, Key(mia), len("sha1:")+40)
	assert.Equal(t, Key(mia), Key(mia), "stable")
	mia2 := *mia
	mia2.Code = "a.C"
	assert.NotEqual(t, Key(mia), Key(&mia2))
	assert.NotEqual(t, Key(msa), Key(mia), "an MIA does not replace the MSA of its spec")
	assert.NotEqual(t, Key(pa), Key(ra), "a route does not replace the peer's advertisement")
}

func TestPublishGet(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c, _ := openTest(t, Options{Clock: clk.Now})
	g := jxta.NewGroupID()
	p := pipe(g, "chat")
	require.NoError(t, c.Publish(g, p, life, exp))

	e, ok, err := c.Get(g, Key(p))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, Key(p), e.Key)
	assert.Equal(t, advert.Adv, e.Category)
	assert.Equal(t, advert.Marshal(p), e.Doc)
	assert.Equal(t, clk.Now().Add(life), e.Expires.UTC())
	assert.Equal(t, exp, e.Expiration)
	a, err := e.Advertisement()
	require.NoError(t, err)
	require.IsType(t, &advert.PipeAdv{}, a)
	assert.Equal(t, p.PipeID, a.(*advert.PipeAdv).PipeID)
	assert.Equal(t, "chat", a.(*advert.PipeAdv).Name)
	assert.Equal(t, 1, c.Len(g))

	_, ok, err = c.Get(g, "urn:jxta:uuid-00")
	require.NoError(t, err)
	assert.False(t, ok)
	_, ok, err = c.Get(jxta.NewGroupID(), Key(p))
	require.NoError(t, err)
	assert.False(t, ok, "another group's space")
}

func TestParseMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want match
	}{
		{"", match{kind: matchAll}},
		{"*", match{kind: matchAll}},
		{"**", match{kind: matchAll}},
		{"  *  ", match{kind: matchAll}},
		{"abc", match{matchExact, "abc"}},
		{" abc\n", match{matchExact, "abc"}},
		{"abc*", match{matchPrefix, "abc"}},
		{"*abc", match{matchSuffix, "abc"}},
		{"*abc*", match{matchContains, "abc"}},
		{"a*c", match{matchExact, "a*c"}},
		{"*a*c*", match{matchContains, "a*c"}},
	}
	for _, tt := range tests {
		m, ok := parseMatch(tt.in)
		assert.True(t, ok, tt.in)
		assert.Equal(t, tt.want, m, "%q", tt.in)
	}
	_, ok := parseMatch("a\x00b")
	assert.False(t, ok)
}

func TestSearchMatching(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, Options{})
	g := jxta.NewGroupID()
	names := []string{"alpha", "alphabet", "beta", "alpha beta", "Alpha", "a*c", "abc", "  padded  "}
	byName := map[string]*advert.PipeAdv{}
	var ps []Publication
	for _, n := range names {
		p := pipe(g, n)
		byName[strings.TrimSpace(n)] = p
		ps = append(ps, Publication{Adv: p, Lifetime: life, Expiration: exp})
	}
	require.NoError(t, c.PublishAll(g, ps))
	all := []string{"alpha", "alphabet", "beta", "alpha beta", "Alpha", "a*c", "abc", "padded"}

	tests := []struct {
		name, attr, value string
		want              []string
	}{
		{"exact", "Name", "alpha", []string{"alpha"}},
		{"exact is case-sensitive", "Name", "Alpha", []string{"Alpha"}},
		{"exact no match", "Name", "ALPHA", nil},
		{"value trimmed", "Name", "  beta\t", []string{"beta"}},
		{"stored value trimmed", "Name", "padded", []string{"padded"}},
		{"prefix", "Name", "alpha*", []string{"alpha", "alphabet", "alpha beta"}},
		{"suffix", "Name", "*beta", []string{"beta", "alpha beta"}},
		{"suffix one char", "Name", "*a", []string{"alpha", "beta", "alpha beta", "Alpha"}},
		{"contains", "Name", "*ph*", []string{"alpha", "alphabet", "alpha beta", "Alpha"}},
		{"contains space", "Name", "* *", []string{"alpha beta"}},
		{"star in the middle is literal", "Name", "a*c", []string{"a*c"}},
		{"star alone", "Name", "*", all},
		{"empty value", "Name", "", all},
		{"no attr", "", "ignored", all},
		{"other index field", "Id", byName["beta"].PipeID.String(), []string{"beta"}},
		{"not an index field", "Type", "JxtaUnicast", nil},
		{"field of another category", "PID", "*", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.Search(g, advert.Adv, tt.attr, tt.value, 100)
			require.NoError(t, err)
			var want []string
			for _, n := range tt.want {
				want = append(want, Key(byName[n]))
			}
			assert.ElementsMatch(t, want, keys(got))
		})
	}
}

func TestSearchCategories(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, Options{})
	g := jxta.NewGroupID()
	pa, pga, p := peer(g, "same"), group("same"), pipe(g, "same")
	pga.Desc = advert.NewText("Desc", "a chat group")
	for _, a := range []advert.Advertisement{pa, pga, p} {
		require.NoError(t, c.Publish(g, a, life, exp))
	}
	for _, tt := range []struct {
		cat        advert.Category
		attr, val  string
		want       advert.Advertisement
		wantAbsent bool
	}{
		{advert.Peers, "Name", "same", pa, false},
		{advert.Groups, "Name", "same", pga, false},
		{advert.Adv, "Name", "same", p, false},
		{advert.Peers, "PID", pa.PeerID.String(), pa, false},
		{advert.Groups, "Desc", "*chat*", pga, false},
		{advert.Groups, "MSID", jxta.StdGroupSpecID.String(), pga, false},
		{advert.Groups, "GID", pga.GroupID.String(), pga, false},
		{advert.Peers, "", "", pa, false},
		{advert.Peers, "Id", "*", nil, true},
		{advert.Adv, "PID", "*", nil, true},
	} {
		got, err := c.Search(g, tt.cat, tt.attr, tt.val, 10)
		require.NoError(t, err)
		if tt.wantAbsent {
			assert.Empty(t, got, "%v %s=%s", tt.cat, tt.attr, tt.val)
			continue
		}
		if assert.Len(t, got, 1, "%v %s=%s", tt.cat, tt.attr, tt.val) {
			assert.Equal(t, Key(tt.want), got[0].Key)
			assert.Equal(t, tt.cat, got[0].Category)
		}
	}
}

func TestSearchThreshold(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, Options{})
	g := jxta.NewGroupID()
	var ps []Publication
	for range MaxThreshold + 100 {
		ps = append(ps, Publication{Adv: pipe(g, "many"), Lifetime: life, Expiration: exp})
	}
	require.NoError(t, c.PublishAll(g, ps))
	for _, tt := range []struct{ threshold, want int }{
		{1, 1}, {25, 25}, {0, DefaultThreshold}, {-3, DefaultThreshold},
		{MaxThreshold + 1, MaxThreshold}, {math.MaxInt, MaxThreshold},
	} {
		for _, v := range []string{"many", "m*", "*y", "*an*", "*"} {
			got, err := c.Search(g, advert.Adv, "Name", v, tt.threshold)
			require.NoError(t, err)
			assert.Len(t, got, tt.want, "threshold %d value %q", tt.threshold, v)
		}
		got, err := c.Search(g, advert.Adv, "", "", tt.threshold)
		require.NoError(t, err)
		assert.Len(t, got, tt.want, "threshold %d, no attr", tt.threshold)
	}
}

func TestRepublishReplaces(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, Options{})
	g := jxta.NewGroupID()
	p := pipe(g, "old name")
	require.NoError(t, c.Publish(g, p, life, exp))
	p2 := *p
	p2.Name = "new name"
	require.NoError(t, c.Publish(g, &p2, 2*life, 3*exp))

	assert.Equal(t, 1, c.Len(g))
	got, err := c.Search(g, advert.Adv, "Name", "old name", 10)
	require.NoError(t, err)
	assert.Empty(t, got, "the old index entry is gone")
	got, err = c.Search(g, advert.Adv, "Name", "new*", 10)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, 3*exp, got[0].Expiration)
	assert.Equal(t, map[string]int{"adv": 1, "exp": 1, "idx/Adv": 1, "idx/AdvName": 1, "idx/AdvId": 1}, indexRefs(t, c, g, Key(p)))

	// A republish that drops a field drops its index entry.
	p3 := p2
	p3.Name = ""
	require.NoError(t, c.Publish(g, &p3, life, exp))
	assert.Equal(t, map[string]int{"adv": 1, "exp": 1, "idx/Adv": 1, "idx/AdvId": 1}, indexRefs(t, c, g, Key(p)))
}

func TestLifetime(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c, _ := openTest(t, Options{Clock: clk.Now})
	g := jxta.NewGroupID()
	a, b, f := pipe(g, "a"), pipe(g, "b"), pipe(g, "forever")
	require.NoError(t, c.Publish(g, a, time.Hour, 2*time.Hour))
	require.NoError(t, c.Publish(g, b, 3*time.Hour, 30*time.Minute))
	require.NoError(t, c.Publish(g, f, Forever, Forever))

	remote := func(p *advert.PipeAdv) time.Duration {
		e, ok, err := c.Get(g, Key(p))
		require.NoError(t, err)
		require.True(t, ok)
		return e.RemoteExpiration(clk.Now())
	}
	assert.Equal(t, time.Hour, remote(a), "lifetime left is shorter")
	assert.Equal(t, 30*time.Minute, remote(b), "expiration is shorter")
	assert.Equal(t, Forever, remote(f))
	e, _, err := c.Get(g, Key(f))
	require.NoError(t, err)
	assert.True(t, e.Expires.IsZero(), "no end of lifetime")

	clk.Advance(45 * time.Minute)
	assert.Equal(t, 15*time.Minute, remote(a))

	clk.Advance(15 * time.Minute) // a's lifetime ends now
	_, ok, err := c.Get(g, Key(a))
	require.NoError(t, err)
	assert.False(t, ok, "expired entries are not returned")
	got, err := c.Search(g, advert.Adv, "Name", "*", 10)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{Key(b), Key(f)}, keys(got))
	got, err = c.Search(g, advert.Adv, "", "", 10)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{Key(b), Key(f)}, keys(got))
	assert.Equal(t, 3, c.Len(g), "not collected yet")
	assert.Equal(t, time.Duration(0), Entry{Expires: clk.Now(), Expiration: time.Hour}.RemoteExpiration(clk.Now()))

	n, err := c.Collect()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, 2, c.Len(g))
	assert.Empty(t, indexRefs(t, c, g, Key(a)), "the record and its index entries are gone")
	assert.Len(t, indexRefs(t, c, g, Key(b)), 5)

	clk.Advance(100 * 365 * day)
	n, err = c.Collect()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, ok, err = c.Get(g, Key(f))
	require.NoError(t, err)
	assert.True(t, ok, "kept forever")
}

func TestBackgroundCollector(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c, _ := openTest(t, Options{Clock: clk.Now, CollectInterval: 5 * time.Millisecond})
	g := jxta.NewGroupID()
	require.NoError(t, c.Publish(g, pipe(g, "short"), time.Minute, time.Minute))
	require.NoError(t, c.Publish(g, pipe(g, "long"), time.Hour, time.Minute))
	clk.Advance(2 * time.Minute)
	assert.Eventually(t, func() bool { return c.Len(g) == 1 }, 5*time.Second, 5*time.Millisecond)
}

func TestPublishInvalid(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, Options{})
	g := jxta.NewGroupID()
	for name, p := range map[string]Publication{
		"nil":                 {Adv: nil, Lifetime: life, Expiration: exp},
		"zero lifetime":       {Adv: pipe(g, "x"), Lifetime: 0, Expiration: exp},
		"negative lifetime":   {Adv: pipe(g, "x"), Lifetime: -time.Second, Expiration: exp},
		"negative expiration": {Adv: pipe(g, "x"), Lifetime: life, Expiration: -1},
		"NUL in a field":      {Adv: pipe(g, "a\x00b"), Lifetime: life, Expiration: exp},
		"does not parse back": {Adv: &advert.PipeAdv{Name: "no id"}, Lifetime: life, Expiration: exp},
	} {
		err := c.PublishAll(g, []Publication{p})
		assert.ErrorIs(t, err, ErrInvalid, name)
	}
	// PublishAll is all or nothing.
	err := c.PublishAll(g, []Publication{
		{Adv: pipe(g, "good"), Lifetime: life, Expiration: exp},
		{Adv: pipe(g, "bad"), Lifetime: 0, Expiration: exp},
	})
	require.ErrorIs(t, err, ErrInvalid)
	assert.Equal(t, 0, c.Len(g))
	// Zero expiration is allowed: others may not keep it.
	require.NoError(t, c.Publish(g, pipe(g, "local"), life, 0))
}

func TestPersistence(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c, path := openTest(t, Options{Clock: clk.Now})
	g := jxta.NewGroupID()
	pa, p := peer(g, "alice"), pipe(g, "chat")
	require.NoError(t, c.Publish(g, pa, life, exp))
	require.NoError(t, c.Publish(g, p, time.Hour, exp))
	require.NoError(t, c.Close())

	c2, err := Open(path, Options{Clock: clk.Now, CollectInterval: -1})
	require.NoError(t, err)
	defer c2.Close()
	assert.Equal(t, 2, c2.Len(g))
	got, err := c2.Search(g, advert.Peers, "Name", "alice", 1)
	require.NoError(t, err)
	require.Len(t, got, 1)
	a, err := got[0].Advertisement()
	require.NoError(t, err)
	assert.Equal(t, pa.PeerID, a.(*advert.PeerAdv).PeerID)
	e, ok, err := c2.Get(g, Key(p))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, time.Hour, e.RemoteExpiration(clk.Now()), "the deadline survives too")
}

func TestGroupsIsolated(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, Options{})
	g1, g2 := jxta.NewGroupID(), jxta.NewGroupID()
	p := pipe(g1, "shared")
	require.NoError(t, c.Publish(g1, p, life, exp))
	require.NoError(t, c.Publish(g2, p, life, exp))
	require.NoError(t, c.Publish(g2, pipe(g2, "only in g2"), life, exp))
	assert.Equal(t, 1, c.Len(g1))
	assert.Equal(t, 2, c.Len(g2))

	got, err := c.Search(g1, advert.Adv, "Name", "*", 10)
	require.NoError(t, err)
	assert.Equal(t, []string{Key(p)}, keys(got))

	require.NoError(t, c.Remove(g1, Key(p)))
	assert.Equal(t, 0, c.Len(g1))
	_, ok, err := c.Get(g2, Key(p))
	require.NoError(t, err)
	assert.True(t, ok)

	n, err := c.Flush(g2, advert.Adv)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, 0, c.Len(g2))
	assert.Equal(t, 0, c.Len(jxta.NewGroupID()))
}

func TestRemoveAndFlush(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, Options{})
	g := jxta.NewGroupID()
	pa1, pa2, p := peer(g, "a"), peer(g, "b"), pipe(g, "c")
	for _, a := range []advert.Advertisement{pa1, pa2, p} {
		require.NoError(t, c.Publish(g, a, life, exp))
	}
	require.NoError(t, c.Remove(g, Key(pa1)))
	require.NoError(t, c.Remove(g, Key(pa1)), "removing twice is fine")
	require.NoError(t, c.Remove(g, ""))
	assert.Empty(t, indexRefs(t, c, g, Key(pa1)))
	assert.Equal(t, 2, c.Len(g))

	n, err := c.Flush(g, advert.Peers)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Empty(t, indexRefs(t, c, g, Key(pa2)))
	n, err = c.Flush(g, advert.Groups)
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	got, err := c.Search(g, advert.Adv, "", "", 10)
	require.NoError(t, err)
	assert.Equal(t, []string{Key(p)}, keys(got))
}

func TestMaxEntries(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c, _ := openTest(t, Options{Clock: clk.Now, MaxEntries: 3})
	g := jxta.NewGroupID()
	soon, later, last := pipe(g, "soon"), pipe(g, "later"), pipe(g, "last")
	require.NoError(t, c.Publish(g, later, 2*time.Hour, exp))
	require.NoError(t, c.Publish(g, soon, time.Hour, exp))
	require.NoError(t, c.Publish(g, last, 3*time.Hour, exp))
	// Replacing does not evict.
	require.NoError(t, c.Publish(g, last, 3*time.Hour, exp))
	assert.Equal(t, 3, c.Len(g))

	next := pipe(g, "next")
	require.NoError(t, c.Publish(g, next, 4*time.Hour, exp))
	assert.Equal(t, 3, c.Len(g))
	_, ok, err := c.Get(g, Key(soon))
	require.NoError(t, err)
	assert.False(t, ok, "the entry closest to the end of its lifetime goes")
	assert.Empty(t, indexRefs(t, c, g, Key(soon)))

	// Another group has its own room.
	g2 := jxta.NewGroupID()
	require.NoError(t, c.Publish(g2, pipe(g2, "x"), time.Hour, exp))
	assert.Equal(t, 3, c.Len(g))
}

func TestSecondOpenFails(t *testing.T) {
	t.Parallel()
	_, path := openTest(t, Options{})
	start := time.Now()
	c2, err := Open(path, Options{})
	require.Error(t, err)
	assert.Nil(t, c2)
	assert.ErrorIs(t, err, ErrLocked)
	assert.Contains(t, err.Error(), path)
	assert.Less(t, time.Since(start), 2*time.Second, "fails fast")
}

func TestClosed(t *testing.T) {
	t.Parallel()
	c, err := Open(t.TempDir()+"/cm.db", Options{})
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, c.Close())
	g := jxta.NewGroupID()
	assert.ErrorIs(t, c.Publish(g, pipe(g, "x"), life, exp), ErrClosed)
	_, err = c.Search(g, advert.Adv, "Name", "x", 1)
	assert.ErrorIs(t, err, ErrClosed)
	_, _, err = c.Get(g, "x")
	assert.ErrorIs(t, err, ErrClosed)
	_, err = c.Collect()
	assert.ErrorIs(t, err, ErrClosed)
	assert.ErrorIs(t, c.Remove(g, "x"), ErrClosed)
	_, err = c.Flush(g, advert.Adv)
	assert.ErrorIs(t, err, ErrClosed)
	assert.Equal(t, 0, c.Len(g))
}

func TestHostileQueries(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, Options{})
	g := jxta.NewGroupID()
	long := strings.Repeat("x", 10<<10)
	require.NoError(t, c.Publish(g, pipe(g, "x"), life, exp))
	require.NoError(t, c.Publish(g, pipe(g, long), life, exp))
	for _, attr := range []string{"Name", "Na\x00me", "\x00", long, "Name" + long} {
		for _, v := range []string{"", "*", "\x00", "x\x00", "*\x00*", long, long + "*", "*" + long, "*" + long + "*", "*x" + long, strings.Repeat("*", 10<<10)} {
			for _, th := range []int{math.MinInt, -1, 0, 1, math.MaxInt} {
				got, err := c.Search(g, advert.Adv, attr, v, th)
				require.NoError(t, err)
				assert.LessOrEqual(t, len(got), 2)
			}
		}
	}
	for _, k := range []string{"", "\x00", long} {
		_, ok, err := c.Get(g, k)
		require.NoError(t, err)
		assert.False(t, ok)
		require.NoError(t, c.Remove(g, k))
	}
	got, err := c.Search(g, advert.Adv, "Name", long, 10)
	require.NoError(t, err)
	assert.Len(t, got, 1, "a long value is found exactly")
}

// TestLongValues covers values longer than what the index keeps.
func TestLongValues(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, Options{})
	g := jxta.NewGroupID()
	head := strings.Repeat("h", maxIndexValue+10)
	a, b, short := group("a"), group("b"), group("c")
	a.Desc = advert.NewText("Desc", head+" tail one")
	b.Desc = advert.NewText("Desc", head+" tail two")
	short.Desc = advert.NewText("Desc", head[:maxIndexValue])
	for _, x := range []*advert.GroupAdv{a, b, short} {
		require.NoError(t, c.Publish(g, x, life, exp))
	}
	for _, tt := range []struct {
		value string
		want  []*advert.GroupAdv
	}{
		{head + " tail one", []*advert.GroupAdv{a}},
		{head + " tail", nil},
		{head[:maxIndexValue], []*advert.GroupAdv{short}},
		{head + " tail*", []*advert.GroupAdv{a, b}},
		{head[:maxIndexValue] + "*", []*advert.GroupAdv{a, b, short}},
		{head[:maxIndexValue-1] + "*", []*advert.GroupAdv{a, b, short}},
		{"*two", []*advert.GroupAdv{b}},
		{"*tail*", []*advert.GroupAdv{a, b}},
		{"*h", []*advert.GroupAdv{short}},
	} {
		got, err := c.Search(g, advert.Groups, "Desc", tt.value, 10)
		require.NoError(t, err)
		var want []string
		for _, x := range tt.want {
			want = append(want, Key(x))
		}
		assert.ElementsMatch(t, want, keys(got), "%.20q...%q", tt.value, tt.value[max(0, len(tt.value)-10):])
	}
}

// TestOpenBadFile opens a file that is not a cache: it is moved aside,
// kept as it was, and the cache starts empty, saying so.
func TestOpenBadFile(t *testing.T) {
	t.Parallel()
	path := t.TempDir() + "/cm.db"
	junk := []byte("not a bbolt file, not a bbolt file, not a bbolt file")
	require.NoError(t, writeFile(path, junk))
	var log logLines
	c, err := Open(path, Options{CollectInterval: -1, Logger: log.logger()})
	require.NoError(t, err)
	defer c.Close()
	line := log.only(t)
	assert.Contains(t, line, path+" was damaged (file too short: 52 bytes)")
	aside := regexp.MustCompile(`moved aside to (\S+);`).FindStringSubmatch(line)
	require.Len(t, aside, 2, line)
	kept, err := os.ReadFile(aside[1])
	require.NoError(t, err)
	assert.Equal(t, junk, kept)
	assert.Contains(t, line, "recovered 0 entries (how many it held is unknown)")
}

func TestCollectNothingWritesNothing(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c, _ := openTest(t, Options{Clock: clk.Now})
	g := jxta.NewGroupID()
	require.NoError(t, c.Publish(g, pipe(g, "x"), time.Hour, exp))
	require.NoError(t, c.flush(nil))
	before := c.db.Stats().TxStats
	n, err := c.Collect()
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	after := c.db.Stats().TxStats
	assert.Equal(t, before.GetWrite(), after.GetWrite(), "no write transaction")
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c, _ := openTest(t, Options{Clock: clk.Now, CollectInterval: time.Millisecond})
	g := jxta.NewGroupID()
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			for i := range 30 {
				assert.NoError(t, c.Publish(g, pipe(g, fmt.Sprintf("w%d-%d", w, i)), time.Duration(i+1)*time.Second, exp))
			}
		})
		wg.Go(func() {
			for range 100 {
				_, err := c.Search(g, advert.Adv, "Name", fmt.Sprintf("w%d-*", w), 5)
				assert.NoError(t, err)
				clk.Advance(100 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	n, err := c.Collect()
	require.NoError(t, err)
	got, err := c.Search(g, advert.Adv, "", "", MaxThreshold)
	require.NoError(t, err)
	assert.Equal(t, len(got), c.Len(g), "after Collect every stored entry is alive (collected %d now)", n)
}

func TestMatches(t *testing.T) {
	for _, c := range []struct {
		pattern, value string
		want           bool
	}{
		{"chat", "chat", true}, {"chat", "chats", false}, {"chat*", "chats", true},
		{"*at", "chat", true}, {"*ha*", "chat", true}, {"*", "x", true}, {"", "x", true},
		{"Chat", "chat", false}, {" chat ", "chat ", true}, {"a\x00", "a", false},
	} {
		assert.Equal(t, c.want, Matches(c.pattern, c.value), "%q ~ %q", c.pattern, c.value)
	}
}
