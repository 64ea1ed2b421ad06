package rendezvous

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

var epoch = time.Unix(1_700_000_000, 0)

// viewPeer is a peer view with the advertisement of its owner.
type viewPeer struct {
	id   jxta.PeerID
	doc  []byte
	view *peerView
}

func newViewPeer(t *testing.T, name string) *viewPeer {
	pa := &advert.PeerAdv{PeerID: jxta.NewPeerID(jxta.NetGroupID), GroupID: jxta.NetGroupID, Name: name}
	require.NoError(t, pa.SetEndpointAddresses([]string{"mem://" + name}))
	return &viewPeer{id: pa.PeerID, doc: advert.Marshal(pa),
		view: newPeerView(pa.PeerID, time.Second, rand.New(rand.NewPCG(1, 2)))}
}

// hand passes m from a to b at now and returns b's answer.
func hand(t *testing.T, a, b *viewPeer, m *jxta.Message, now time.Time) (*jxta.Message, []*advert.PeerAdv) {
	t.Helper()
	g, err := parseGossip(m, a.id)
	require.NoError(t, err)
	reply, added, err := b.view.receive(g, b.doc, now)
	require.NoError(t, err)
	return reply, added
}

// meet makes a and b know each other, with a probe from a at now.
func meet(t *testing.T, a, b *viewPeer, now time.Time) {
	t.Helper()
	reply, _ := hand(t, a, b, a.view.probe(a.doc, now), now)
	if push, _ := hand(t, b, a, reply, now); push != nil {
		hand(t, a, b, push, now)
	}
}

// ids, ids2, sampleIDs and viewIDs name peers by their IDs' text, for
// readable failures.
func ids(ps ...*viewPeer) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.id.String()
	}
	return out
}

func viewIDs(v *peerView) []string {
	var out []string
	for _, id := range v.ids() {
		out = append(out, id.String())
	}
	return out
}

func TestExchangeSendsWhatThePartnerLacks(t *testing.T) {
	a, b, c, d, e := newViewPeer(t, "a"), newViewPeer(t, "b"), newViewPeer(t, "c"), newViewPeer(t, "d"), newViewPeer(t, "e")
	meet(t, a, b, epoch)
	meet(t, a, c, epoch)
	meet(t, d, e, epoch)
	require.ElementsMatch(t, ids(b, c), viewIDs(a.view))
	require.ElementsMatch(t, ids(a, b), viewIDs(c.view), "a pushed b to c")

	// d probes a: a answers with its digest and b and c, which d lacks.
	now := epoch.Add(time.Second)
	reply, added := hand(t, d, a, d.view.probe(d.doc, now), now)
	assert.Equal(t, ids(d), ids2(added), "the prober joins the view")
	g, err := parseGossip(reply, a.id)
	require.NoError(t, err)
	assert.NotNil(t, g.digest)
	assert.ElementsMatch(t, ids(b, c), sampleIDs(g.samples))

	// d takes them in and pushes e, which a lacks; a does not answer.
	push, added, err := d.view.receive(g, d.doc, now)
	require.NoError(t, err)
	assert.ElementsMatch(t, ids(a, b, c), ids2(added))
	g, err = parseGossip(push, d.id)
	require.NoError(t, err)
	assert.Nil(t, g.digest, "a push carries no digest")
	assert.Equal(t, ids(e), sampleIDs(g.samples))
	last, added, err := a.view.receive(g, a.doc, now)
	require.NoError(t, err)
	assert.Nil(t, last)
	assert.Equal(t, ids(e), ids2(added))
	assert.ElementsMatch(t, ids(b, c, d, e), viewIDs(a.view))
	assert.ElementsMatch(t, ids(a, b, c, e), viewIDs(d.view))
}

func ids2(pas []*advert.PeerAdv) []string {
	out := make([]string, len(pas))
	for i, pa := range pas {
		out[i] = pa.PeerID.String()
	}
	return out
}

func sampleIDs(ss []sample) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.id.String()
	}
	return out
}

func TestSamplesAreBounded(t *testing.T) {
	a, b := newViewPeer(t, "a"), newViewPeer(t, "b")
	for i := range 3 * maxSample {
		p := newViewPeer(t, fmt.Sprint("p", i))
		meet(t, p, a, epoch)
	}
	reply, _ := hand(t, b, a, b.view.probe(b.doc, epoch), epoch)
	g, err := parseGossip(reply, a.id)
	require.NoError(t, err)
	assert.Len(t, g.samples, maxSample)
	push, added, err := b.view.receive(g, b.doc, epoch)
	require.NoError(t, err)
	assert.Len(t, added, maxSample+1, "the samples and a")
	assert.Nil(t, push, "b has nothing a lacks")
}

func TestDigestRefreshesAges(t *testing.T) {
	a, b, c := newViewPeer(t, "a"), newViewPeer(t, "b"), newViewPeer(t, "c")
	meet(t, a, c, epoch)
	meet(t, b, a, epoch) // b hears of c through a, at epoch
	require.ElementsMatch(t, ids(a, c), viewIDs(b.view))

	later := epoch.Add(5 * time.Second)
	meet(t, c, a, later) // a hears from c directly
	meet(t, a, b, later) // and b learns c's new age from a's digest
	b.view.mu.Lock()
	heard := b.view.entries[c.id].heard
	b.view.mu.Unlock()
	assert.Equal(t, later, heard)
}

func TestExpiry(t *testing.T) {
	a, b, c := newViewPeer(t, "a"), newViewPeer(t, "b"), newViewPeer(t, "c")
	meet(t, a, b, epoch)
	meet(t, a, c, epoch)
	limit := a.view.expiry()
	assert.Equal(t, minExpiry*time.Second, limit, "a small view")
	meet(t, a, b, epoch.Add(limit/2))
	assert.Equal(t, []jxta.PeerID{c.id}, a.view.expire(epoch.Add(limit)))
	assert.Equal(t, ids(b), viewIDs(a.view))

	// News too old to keep does not enter the view.
	d := newViewPeer(t, "d")
	meet(t, d, b, epoch.Add(limit/2))
	meet(t, a, b, epoch.Add(limit/2+limit)) // b's news of d is a period too old
	assert.Equal(t, ids(b), viewIDs(a.view))

	big := newPeerView(a.id, time.Second, rand.New(rand.NewPCG(1, 1)))
	for range 600 {
		big.entries[jxta.NewPeerID(jxta.NetGroupID)] = &viewEntry{}
	}
	assert.Equal(t, 20*time.Second, big.expiry(), "2 periods per bit of 601")
}

func TestDeadPeerStaysOut(t *testing.T) {
	a, b, c := newViewPeer(t, "a"), newViewPeer(t, "b"), newViewPeer(t, "c")
	meet(t, a, c, epoch)
	meet(t, b, c, epoch)
	meet(t, a, b, epoch)
	require.ElementsMatch(t, ids(b, c), viewIDs(a.view))

	dead := epoch.Add(time.Second)
	assert.True(t, a.view.remove(c.id, dead))
	assert.False(t, a.view.remove(c.id, dead), "gone already")
	meet(t, b, a, dead.Add(2*time.Second)) // b still holds c, heard of at epoch
	assert.Equal(t, ids(b), viewIDs(a.view), "older news does not bring c back")

	back := dead.Add(3 * time.Second)
	meet(t, c, b, back)
	meet(t, b, a, back.Add(time.Second))
	assert.Equal(t, ids(b), viewIDs(a.view), "news of c barely newer than its death does not")
	meet(t, c, a, back)
	assert.ElementsMatch(t, ids(b, c), viewIDs(a.view), "c itself does")
}

func TestSuspect(t *testing.T) {
	a, b, c := newViewPeer(t, "a"), newViewPeer(t, "b"), newViewPeer(t, "c")
	meet(t, b, a, epoch)
	meet(t, c, b, epoch)
	meet(t, a, b, epoch) // a hears of c through b only
	assert.True(t, a.view.suspect(b.id, epoch.Add(time.Second)))
	assert.False(t, a.view.suspect(b.id, epoch.Add(suspectPeriods*time.Second)), "silent long: an idle connection")
	assert.False(t, a.view.suspect(c.id, epoch), "never talked to a directly")
	assert.False(t, a.view.suspect(jxta.NewPeerID(jxta.NetGroupID), epoch), "not in the view")
}

func TestPartner(t *testing.T) {
	a, b, c := newViewPeer(t, "a"), newViewPeer(t, "b"), newViewPeer(t, "c")
	_, ok := a.view.partner(nil, 0)
	assert.False(t, ok, "nobody")
	p, ok := a.view.partner([]jxta.PeerID{a.id, b.id}, 0)
	require.True(t, ok)
	assert.Equal(t, b.id, p, "a seed, never self")
	_, ok = a.view.partner([]jxta.PeerID{b.id}, 1)
	assert.False(t, ok, "seeds wait for their answer")

	meet(t, a, c, epoch)
	for round := range uint64(8) {
		p, _ := a.view.partner([]jxta.PeerID{b.id}, round)
		if round%seedEvery == 0 {
			assert.Equal(t, b.id, p, "round %d", round)
		} else {
			assert.Equal(t, c.id, p, "round %d", round)
		}
	}
	a.view.remove(b.id, epoch)
	p, _ = a.view.partner([]jxta.PeerID{b.id}, 0)
	assert.Equal(t, c.id, p, "a seed found dead is left alone")

	// Connected to again (the partition healed), it is probed in the next
	// seed round, and its answer brings it back.
	assert.True(t, a.view.reachable(b.id))
	assert.False(t, a.view.reachable(b.id), "once")
	p, _ = a.view.partner([]jxta.PeerID{b.id}, 4)
	assert.Equal(t, b.id, p, "a seed connected to again")
	meet(t, a, b, epoch.Add(time.Second))
	assert.ElementsMatch(t, ids(b, c), viewIDs(a.view))
}

func TestReferrals(t *testing.T) {
	a := newViewPeer(t, "a")
	var others []*viewPeer
	for i := range 6 {
		p := newViewPeer(t, fmt.Sprint("p", i))
		meet(t, p, a, epoch)
		others = append(others, p)
	}
	refs := a.view.referrals(maxReferrals, others[0].id)
	assert.Len(t, refs, maxReferrals)
	for _, doc := range refs {
		pa, err := parsePeerAdv(doc)
		require.NoError(t, err)
		assert.NotEqual(t, others[0].id, pa.PeerID)
	}
}

func TestViewIsBounded(t *testing.T) {
	a, b := newViewPeer(t, "a"), newViewPeer(t, "b")
	for range maxView {
		a.view.entries[jxta.NewPeerID(jxta.NetGroupID)] = &viewEntry{heard: epoch}
	}
	_, added := hand(t, b, a, b.view.probe(b.doc, epoch), epoch)
	assert.Empty(t, added)
	assert.Len(t, a.view.entries, maxView)
}

func TestGossipFromARendezvousAdvertisement(t *testing.T) {
	a := newViewPeer(t, "a")
	id := jxta.NewPeerID(jxta.NetGroupID)
	rdv := &advert.RdvAdv{GroupID: jxta.NetGroupID, PeerID: id, ServiceName: "x", Name: "jxse",
		Route: &advert.RouteAdv{DstPeerID: id, Dst: &advert.AccessPointAdv{Addresses: []string{"tcp://10.0.0.1:9701"}}}}
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, elementProbe, advert.Marshal(rdv))
	g, err := parseGossip(m, id)
	require.NoError(t, err)
	reply, added, err := a.view.receive(g, a.doc, epoch)
	require.NoError(t, err)
	assert.NotNil(t, reply, "a probe without a digest is answered")
	require.Equal(t, []string{id.String()}, ids2(added))
	assert.Equal(t, []string{"tcp://10.0.0.1:9701"}, added[0].EndpointAddresses())

	g, err = parseGossip(m, jxta.NewPeerID(jxta.NetGroupID))
	require.NoError(t, err)
	_, _, err = a.view.receive(g, a.doc, epoch)
	assert.ErrorIs(t, err, errBadGossip, "someone else's advertisement")
}

func TestMembersAndClear(t *testing.T) {
	a, b, c := newViewPeer(t, "a"), newViewPeer(t, "b"), newViewPeer(t, "c")
	meet(t, b, a, epoch)
	meet(t, c, a, epoch.Add(time.Second))
	members := a.view.members()
	require.Len(t, members, 2)
	heard := map[jxta.PeerID]time.Time{}
	for _, m := range members {
		heard[m.Peer] = m.Heard
	}
	assert.Equal(t, map[jxta.PeerID]time.Time{b.id: epoch, c.id: epoch.Add(time.Second)}, heard)
	assert.Equal(t, a.view.ids(), []jxta.PeerID{members[0].Peer, members[1].Peer}, "sorted as ids")

	a.view.remove(c.id, epoch.Add(2*time.Second))
	assert.Equal(t, []jxta.PeerID{b.id}, a.view.clear())
	assert.Empty(t, a.view.members())
	assert.Empty(t, a.view.gone, "a cleared view forgets who left")
	meet(t, c, a, epoch.Add(2*time.Second))
	assert.Contains(t, viewIDs(a.view), c.id.String(), "and takes them back")
}
