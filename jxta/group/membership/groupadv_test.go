package membership_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/membership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPasswordGroupAdvertisementAloneIsEnoughToJoin(t *testing.T) {
	t.Parallel()
	v, err := membership.NewVerifier(groupPassword)
	require.NoError(t, err)
	entry, err := membership.ServiceEntry(v)
	require.NoError(t, err)
	group := jxta.NewGroupID()
	pga := &advert.GroupAdv{GroupID: group, SpecID: jxta.StdGroupSpecID, Name: "g", Services: []advert.Service{entry}}

	for form, data := range map[string][]byte{"compact": advert.Marshal(pga), "indented": advert.MarshalIndent(pga)} {
		assert.NotContains(t, string(data), groupPassword, form)
		read, err := advert.ParseAs[*advert.GroupAdv](data)
		require.NoError(t, err, form)
		kind, got, err := membership.MembershipOf(read)
		require.NoError(t, err, form)
		assert.Equal(t, membership.Password, kind, form)
		assert.Equal(t, v, got, form)

		s, err := membership.FromGroupAdv(read, jxta.NewPeerID(group))
		require.NoError(t, err, form)
		_, err = s.Join(context.Background(), "alice", "not it")
		assert.ErrorIs(t, err, membership.ErrWrongPassword, form)
		c, err := s.Join(context.Background(), "alice", groupPassword)
		require.NoError(t, err, form)
		assert.Equal(t, group, c.Group, form)
	}
}

// pgaWith returns a PGA document with the given Svc entries.
func pgaWith(svcs string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE jxta:PGA><jxta:PGA xmlns:jxta="http://jxta.org">` +
		`<GID>urn:jxta:uuid-DCEF4386EAED4908BE25CE5019EA02</GID>` +
		`<MSID>urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE000000010306</MSID>` + svcs + `</jxta:PGA>`
}

const (
	membershipMCID = `<MCID>urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000505</MCID>`
	goodVerifier   = `$argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`
)

func TestMembershipOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, svcs string
		want       membership.Kind
		err        error
	}{
		{"no Svc", "", membership.None, nil},
		{"other services only", `<Svc><MCID>urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605</MCID><Parm><Rdv>true</Rdv></Parm></Svc>`, membership.None, nil},
		{"empty Parm", `<Svc>` + membershipMCID + `<Parm/></Svc>`, membership.None, nil},
		{"verifier", `<Svc>` + membershipMCID + `<Parm><Verifier>` + goodVerifier + `</Verifier></Parm></Svc>`, membership.Password, nil},
		{"indented verifier", `<Svc>` + membershipMCID + "<Parm>\n\t<Verifier>\n\t\t" + goodVerifier + "\n\t</Verifier>\n</Parm></Svc>", membership.Password, nil},
		{"JXSE login list", `<Svc>` + membershipMCID + `<Parm><login>Hakim:EWCTY:</login></Parm></Svc>`, "", membership.ErrUnsupported},
		{"verifier and more", `<Svc>` + membershipMCID + `<Parm><Verifier>` + goodVerifier + `</Verifier><login>a:b:</login></Parm></Svc>`, "", membership.ErrUnsupported},
		{"text Parm", `<Svc>` + membershipMCID + `<Parm>open sesame</Parm></Svc>`, "", membership.ErrUnsupported},
		{"two membership entries", `<Svc>` + membershipMCID + `<Parm/></Svc><Svc>` + membershipMCID + `<Parm><Verifier>` + goodVerifier + `</Verifier></Parm></Svc>`, "", membership.ErrUnsupported},
		{"forged verifier", `<Svc>` + membershipMCID + `<Parm><Verifier>$argon2id$v=19$m=4294967295,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA</Verifier></Parm></Svc>`, "", membership.ErrBadVerifier},
		{"empty verifier", `<Svc>` + membershipMCID + `<Parm><Verifier/></Parm></Svc>`, "", membership.ErrBadVerifier},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pga, err := advert.ParseAs[*advert.GroupAdv]([]byte(pgaWith(tt.svcs)))
			require.NoError(t, err)
			kind, v, err := membership.MembershipOf(pga)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				_, err = membership.FromGroupAdv(pga, jxta.NewPeerID(pga.GroupID))
				assert.ErrorIs(t, err, tt.err, "FromGroupAdv refuses what MembershipOf refuses")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, kind)
			if kind == membership.Password {
				assert.Equal(t, goodVerifier, v)
			} else {
				assert.Empty(t, v)
			}
		})
	}
}

// TestMembershipOfInteropGroups reads the real PGAs: JXSE's Passwd groups
// (a <login> list) are refused, the others are open.
func TestMembershipOfInteropGroups(t *testing.T) {
	t.Parallel()
	files := interop.Files(t, "peergroup", ".xml")
	require.NotEmpty(t, files)
	passwd := map[string]bool{"pga_cache_membership_svc_login.xml": true, "pga_cache_short_gid_membership.xml": true}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		pga, err := advert.ParseAs[*advert.GroupAdv](data)
		require.NoError(t, err, f)
		kind, _, err := membership.MembershipOf(pga)
		if passwd[filepath.Base(f)] {
			assert.ErrorIs(t, err, membership.ErrUnsupported, f)
		} else {
			assert.NoError(t, err, f)
			assert.Equal(t, membership.None, kind, f)
		}
	}
}

func TestServiceEntryRefusesABadVerifier(t *testing.T) {
	t.Parallel()
	_, err := membership.ServiceEntry("Hakim:EWCTY:")
	assert.ErrorIs(t, err, membership.ErrBadVerifier)
	e, err := membership.ServiceEntry(goodVerifier)
	require.NoError(t, err)
	assert.Equal(t, jxta.MembershipClassID, e.MCID)
}
