package cache

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// signer returns a fresh identity.
func signer(t testing.TB) *identity.Identity {
	t.Helper()
	id, err := identity.New()
	require.NoError(t, err)
	return id
}

// remote is a's publication as received from its publisher id.
func remote(a advert.Advertisement, id *identity.Identity, life time.Duration) Publication {
	return Publication{Signed: advert.Sign(a, id), Lifetime: life, Expiration: life}
}

// refusals returns the reasons of a RefusedError, or fails.
func refusals(t *testing.T, err error) []error {
	t.Helper()
	var r *RefusedError
	require.ErrorAs(t, err, &r)
	return r.Refused
}

func TestRemoteEntryRules(t *testing.T) {
	t.Parallel()
	for _, flushed := range []bool{false, true} {
		t.Run(fmt.Sprintf("flushed=%v", flushed), func(t *testing.T) {
			t.Parallel()
			c, _ := openTest(t, Options{})
			g := jxta.NewGroupID()
			alice, bob := signer(t), signer(t)
			settle := func() {
				if flushed {
					require.NoError(t, c.flush(nil))
				}
			}

			own := pipe(g, "own")
			require.NoError(t, c.Publish(g, own, time.Hour, exp))
			settle()
			evil := *own
			evil.Name = "evil-replaced"
			err := c.Remember(g, []Publication{remote(&evil, alice, time.Hour)})
			assert.ErrorIs(t, err, ErrNotReplaceable, "a remote entry never replaces an own one")
			e, ok, err := c.Get(g, Key(own))
			require.NoError(t, err)
			require.True(t, ok)
			assert.True(t, e.Own)
			assert.Contains(t, string(e.Doc), ">own<")
			assert.Nil(t, e.SignedDoc(), "an own entry is signed when sent")
			assert.Equal(t, "jxta:PipeAdvertisement", e.AdvType())

			theirs := pipe(g, "alice's")
			require.NoError(t, c.Remember(g, []Publication{remote(theirs, alice, time.Hour)}))
			settle()
			changed := *theirs
			changed.Name = "bob's now"
			assert.ErrorIs(t, c.Remember(g, []Publication{remote(&changed, bob, time.Hour)}), ErrNotReplaceable,
				"only its publisher replaces a remote entry")
			settle()
			e, ok, err = c.Get(g, Key(theirs))
			require.NoError(t, err)
			require.True(t, ok)
			assert.False(t, e.Own)
			assert.Equal(t, alice.PeerID(), e.Publisher)
			sa, err := advert.ParseAs[*advert.SignedAdv](e.SignedDoc())
			require.NoError(t, err, "the entry is served with its publisher's signature")
			assert.Equal(t, alice.PeerID(), sa.Publisher)
			assert.Equal(t, e.Doc, sa.Data)

			changed.Name = "alice's again"
			require.NoError(t, c.Remember(g, []Publication{remote(&changed, alice, time.Hour)}))
			settle()
			e, _, err = c.Get(g, Key(theirs))
			require.NoError(t, err)
			assert.Contains(t, string(e.Doc), "alice's again")

			// This peer's own publication replaces a remote entry.
			require.NoError(t, c.Publish(g, theirs, time.Hour, exp))
			settle()
			e, _, err = c.Get(g, Key(theirs))
			require.NoError(t, err)
			assert.True(t, e.Own)
			assert.True(t, e.Publisher.IsNull())
		})
	}
}

func TestRemoteEntryRulesAtFlush(t *testing.T) {
	t.Parallel()
	// The rules hold where entries reach the B+tree too, whatever was
	// admitted while pending.
	c, _ := openTest(t, Options{PublisherQuota: 1})
	g := jxta.NewGroupID()
	alice, bob := signer(t), signer(t)
	own := pipe(g, "own")
	require.NoError(t, c.Publish(g, own, time.Hour, exp))
	require.NoError(t, c.flush(nil))
	now := c.clock()
	var items []*prepared
	for _, p := range []Publication{remote(own, alice, time.Hour), remote(pipe(g, "a1"), alice, time.Hour),
		remote(pipe(g, "a2"), alice, time.Hour), remote(pipe(g, "b1"), bob, time.Hour)} {
		it, err := c.prepare(p, now)
		require.NoError(t, err)
		items = append(items, it)
	}
	c.pending.add(string(groupName(g)), items) // past admitPending
	require.NoError(t, c.flush(nil))
	assert.Equal(t, 3, c.Len(g), "the own entry, alice's first and bob's")
	e, _, err := c.Get(g, Key(own))
	require.NoError(t, err)
	assert.True(t, e.Own)
}

func TestPublisherQuota(t *testing.T) {
	t.Parallel()
	c, _ := openTest(t, Options{PublisherQuota: 3})
	g := jxta.NewGroupID()
	alice, bob := signer(t), signer(t)
	var ps []Publication
	for i := range 5 {
		ps = append(ps, remote(pipe(g, fmt.Sprint("a", i)), alice, time.Hour))
	}
	reasons := refusals(t, c.Remember(g, ps))
	require.Len(t, reasons, 5)
	for i, err := range reasons {
		if i < 3 {
			assert.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, ErrQuota)
		}
	}
	assert.Equal(t, 3, c.Len(g))
	require.NoError(t, c.flush(nil))
	assert.ErrorIs(t, c.Remember(g, ps[4:]), ErrQuota, "stored entries count too")
	require.NoError(t, c.Remember(g, ps[:1]), "a publisher at its quota replaces its own entries")
	require.NoError(t, c.Remember(g, []Publication{remote(pipe(g, "b"), bob, time.Hour)}), "the quota is per publisher")
	require.NoError(t, c.Publish(g, pipe(g, "own"), time.Hour, exp), "own entries have no quota")
	assert.Equal(t, 5, c.Len(g))

	// Entries that go make room in the quota.
	require.NoError(t, c.Remove(g, Key(ps[0].Signed.Adv)))
	require.NoError(t, c.Remember(g, ps[4:]))
}

func TestRemoteNeverEvictsOwn(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c, _ := openTest(t, Options{Clock: clk.Now, MaxEntries: 5, PublisherQuota: 100})
	g := jxta.NewGroupID()
	var own []*advert.PipeAdv
	for i := range 3 {
		own = append(own, pipe(g, fmt.Sprint("own", i)))
		require.NoError(t, c.Publish(g, own[i], time.Minute, exp)) // closest to the end
	}
	refused := 0
	for i := range 40 {
		id := signer(t)
		err := c.Remember(g, []Publication{remote(pipe(g, fmt.Sprint("flood", i)), id, Forever)})
		if err != nil {
			require.ErrorIs(t, err, ErrFull)
			refused++
		}
	}
	require.NoError(t, c.flush(nil))
	assert.Equal(t, 5, c.Len(g))
	assert.Zero(t, refused, "remote entries evict each other")
	for _, a := range own {
		_, ok, err := c.Get(g, Key(a))
		require.NoError(t, err)
		assert.True(t, ok, "%s survives", a.Name)
	}

	// Own publications evict remote entries first.
	for i := 3; i < 5; i++ {
		own = append(own, pipe(g, fmt.Sprint("own", i)))
		require.NoError(t, c.Publish(g, own[i], time.Hour, exp))
	}
	require.NoError(t, c.flush(nil))
	err := c.Remember(g, []Publication{remote(pipe(g, "late"), signer(t), Forever)})
	assert.ErrorIs(t, err, ErrFull, "no remote entry left to evict")
	for _, a := range own {
		e, ok, err := c.Get(g, Key(a))
		require.NoError(t, err)
		assert.True(t, ok && e.Own, "%s survives", a.Name)
	}
	require.NoError(t, c.db.View(func(tx *bolt.Tx) error {
		s, _ := openSpace(tx, groupName(g))
		assert.Zero(t, s.remoteCount())
		assert.Zero(t, s.rexp.Stats().KeyN)
		assert.Zero(t, s.pub.Stats().KeyN, "counts of publishers without entries go")
		return nil
	}))
}

func TestRemoteSurvivesReopen(t *testing.T) {
	t.Parallel()
	path := t.TempDir() + "/cm.db"
	c, err := Open(path, Options{CollectInterval: -1})
	require.NoError(t, err)
	g := jxta.NewGroupID()
	alice := signer(t)
	a := pipe(g, "alice's")
	require.NoError(t, c.PublishAll(g, []Publication{remote(a, alice, time.Hour)}), "durable: through the journal")
	require.NoError(t, c.Close())
	c, err = Open(path, Options{CollectInterval: -1})
	require.NoError(t, err)
	defer c.Close()
	e, ok, err := c.Get(g, Key(a))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, alice.PeerID(), e.Publisher)
	assert.NotNil(t, e.SignedDoc())
}

func TestRecordV1ReadsAsOwn(t *testing.T) {
	t.Parallel()
	// A version 1 record: version, category, expires, expiration,
	// fields, doc.
	doc := advert.Marshal(pipe(jxta.NetGroupID, "old"))
	rec := append([]byte{1, byte(advert.Adv)}, make([]byte, 16)...)
	rec[9] = 1 // expires: 1 ns after the epoch
	rec = append(rec, 0)
	rec = append(rec, doc...)
	r, err := decodeRecord(rec)
	require.NoError(t, err)
	assert.Nil(t, r.origin)
	assert.Equal(t, doc, r.doc)
	assert.EqualValues(t, 1, r.expires)

	sa := advert.Sign(pipe(jxta.NetGroupID, "new"), signer(t))
	o := &origin{publisher: []byte(sa.Publisher.String()), key: sa.Key, signature: sa.Signature}
	r, err = decodeRecord(encodeRecord(advert.Adv, 5, 6, "jxta:PipeAdvertisement", o, []advert.Field{{Name: "Name", Value: "new"}}, sa.Data))
	require.NoError(t, err)
	require.NotNil(t, r.origin)
	assert.Equal(t, *o, *r.origin)
	assert.Equal(t, sa.Data, r.doc)
	assert.Equal(t, "jxta:PipeAdvertisement", string(r.advType))
}

// FuzzDecodeRecord checks that any bytes read as a record give a record
// within them or ErrCorrupt, never a panic, and that a record read
// writes back the same.
func FuzzDecodeRecord(f *testing.F) {
	id, err := identity.New()
	require.NoError(f, err)
	sa := advert.Sign(pipe(jxta.NetGroupID, "p"), id)
	o := &origin{publisher: []byte(sa.Publisher.String()), key: sa.Key, signature: sa.Signature}
	fields := []advert.Field{{Name: "Name", Value: "p"}}
	f.Add(encodeRecord(advert.Adv, 1, 2, "jxta:PipeAdvertisement", o, fields, sa.Data))
	f.Add(encodeRecord(advert.Adv, 1, 2, "jxta:PipeAdvertisement", nil, fields, sa.Data))
	f.Add(append([]byte{1, 2}, make([]byte, 17)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRecord(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v", err)
			}
			return
		}
		var fs []advert.Field
		if r.eachField(func(n, v []byte) bool {
			fs = append(fs, advert.Field{Name: string(n), Value: string(v)})
			return true
		}) != nil || b[0] != recordVersion {
			return
		}
		again := encodeRecord(r.cat, r.expires, r.expiration, string(r.advType), r.origin, fs, r.doc)
		r2, err := decodeRecord(again)
		if err != nil || r2.expires != r.expires || string(r2.doc) != string(r.doc) || (r2.origin == nil) != (r.origin == nil) {
			t.Fatalf("record does not write back: %v", err)
		}
	})
}

func TestUnverifiedEntries(t *testing.T) {
	t.Parallel()
	for _, flushed := range []bool{false, true} {
		t.Run(fmt.Sprintf("flushed=%v", flushed), func(t *testing.T) {
			t.Parallel()
			c, path := openTest(t, Options{})
			g := jxta.NewGroupID()
			settle := func() {
				if flushed {
					require.NoError(t, c.flush(nil))
				}
			}
			jxse := jxta.NewPeerID(jxta.NetGroupID) // a legacy peer: no key
			alice := signer(t)

			legacy := pipe(g, "from-jxse")
			require.NoError(t, c.Remember(g, []Publication{{Adv: legacy, From: jxse, Lifetime: time.Hour, Expiration: time.Hour}}))
			settle()
			e, ok, err := c.Get(g, Key(legacy))
			require.NoError(t, err)
			require.True(t, ok)
			assert.True(t, e.Unverified)
			assert.False(t, e.Own)
			assert.Equal(t, jxse, e.Publisher)
			assert.Nil(t, e.SignedDoc(), "nothing signed it")

			// The same legacy peer may replace it; an unverified copy never
			// replaces a signed entry, nor an own one.
			again := *legacy
			again.Name = "from-jxse-again"
			require.NoError(t, c.Remember(g, []Publication{{Adv: &again, From: jxse, Lifetime: time.Hour, Expiration: time.Hour}}))
			settle()
			signedOne := pipe(g, "signed")
			require.NoError(t, c.Remember(g, []Publication{remote(signedOne, alice, time.Hour)}))
			settle()
			forged := *signedOne
			forged.Name = "forged"
			err = c.Remember(g, []Publication{{Adv: &forged, From: jxse, Lifetime: time.Hour, Expiration: time.Hour}})
			assert.ErrorIs(t, err, ErrNotReplaceable)
			own := pipe(g, "own")
			require.NoError(t, c.Publish(g, own, time.Hour, exp))
			settle()
			mine := *own
			mine.Name = "not-yours"
			err = c.Remember(g, []Publication{{Adv: &mine, From: jxse, Lifetime: time.Hour, Expiration: time.Hour}})
			assert.ErrorIs(t, err, ErrNotReplaceable)

			// Kept across a reopen.
			require.NoError(t, c.flush(nil))
			require.NoError(t, c.Close())
			c2, err := Open(path, Options{})
			require.NoError(t, err)
			defer c2.Close()
			e, ok, err = c2.Get(g, Key(legacy))
			require.NoError(t, err)
			require.True(t, ok)
			assert.True(t, e.Unverified)
			a, err := e.Advertisement()
			require.NoError(t, err)
			assert.Equal(t, "from-jxse-again", a.(*advert.PipeAdv).Name)
		})
	}
}
