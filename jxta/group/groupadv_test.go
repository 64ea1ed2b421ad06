package group_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/xsdtest"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/membership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// distinctivePassword would stand out in any document that leaked it.
const distinctivePassword = "Quokka-9431-Marmalade!"

func newPasswordGroup(t *testing.T) *group.GroupAdvs {
	t.Helper()
	advs, err := group.NewGroupAdv(group.GroupOptions{
		Name:        "marsupials",
		Description: "a group with a password",
		Membership:  membership.Password,
		Password:    distinctivePassword,
	})
	require.NoError(t, err)
	return advs
}

// written returns a's compact and indented forms.
func written(a advert.Advertisement) map[string][]byte {
	return map[string][]byte{"compact": advert.Marshal(a), "indented": advert.MarshalIndent(a)}
}

func TestPasswordGroupAdvertisements(t *testing.T) {
	t.Parallel()
	advs := newPasswordGroup(t)
	require.NotNil(t, advs.MSA)
	require.NotNil(t, advs.MIA)
	assert.False(t, advs.PGA.GroupID.IsNull())
	assert.Equal(t, "marsupials", advs.PGA.Name)
	assert.Equal(t, "a group with a password", advert.Text(advs.PGA.Desc))

	spec := advs.PGA.SpecID
	assert.NotEqual(t, jxta.StdGroupSpecID, spec, "a group whose membership differs gets a spec of its own")
	assert.Equal(t, jxta.PeerGroupClassID, spec.Class())
	assert.Equal(t, spec, advs.MSA.SpecID)
	assert.Equal(t, spec, advs.MIA.SpecID)
	assert.Equal(t, []advert.Advertisement{advs.MSA, advs.MIA, advs.PGA}, advs.All())

	var services []string
	for _, svc := range advs.MIA.Parm.SelectElements("Svc") {
		services = append(services, advert.Text(svc))
	}
	assert.Contains(t, services, membership.PasswordSpecID.String())
	assert.Contains(t, services, jxta.DiscoverySpecID.String())
	assert.NotContains(t, services, jxta.MembershipNoneSpecID.String())

	another := newPasswordGroup(t)
	assert.NotEqual(t, advs.PGA.GroupID, another.PGA.GroupID)
	assert.NotEqual(t, spec, another.PGA.SpecID)
}

// TestGroupAdvertisementsRoundTrip writes every advertisement of a password
// and a standard group in both forms and reads it back.
func TestGroupAdvertisementsRoundTrip(t *testing.T) {
	t.Parallel()
	open, err := group.NewGroupAdv(group.GroupOptions{Name: "open"})
	require.NoError(t, err)
	for _, a := range append(newPasswordGroup(t).All(), open.All()...) {
		for form, data := range written(a) {
			b, err := advert.Parse(data)
			require.NoError(t, err, "%s %s:\n%s", form, a.AdvType(), data)
			assert.Equal(t, a.AdvType(), b.AdvType())
			assert.Equal(t, a.ID(), b.ID())
			assert.Equal(t, a.IndexFields(), b.IndexFields())
			assert.Equal(t, string(data), string(written(b)[form]), "%s %s changes when written again", form, a.AdvType())
		}
	}
}

func TestGroupAdvertisementsValidateAgainstSchema(t *testing.T) {
	t.Parallel()
	xsdtest.Xmllint(t)
	open, err := group.NewGroupAdv(group.GroupOptions{Name: "open", Description: "no password"})
	require.NoError(t, err)
	dir := t.TempDir()
	var files []string
	for i, a := range append(newPasswordGroup(t).All(), open.All()...) {
		for form, data := range written(a) {
			p := filepath.Join(dir, fmt.Sprintf("%d-%s-%s.xml", i, strings.TrimPrefix(a.AdvType(), "jxta:"), form))
			require.NoError(t, os.WriteFile(p, data, 0o644))
			files = append(files, p)
		}
	}
	for f, msg := range xsdtest.Validate(t, files) {
		data, _ := os.ReadFile(f)
		t.Errorf("%s does not validate:\n%s\n%s", filepath.Base(f), msg, data)
	}
}

func TestGroupAdvertisementsNeverCarryThePassword(t *testing.T) {
	t.Parallel()
	encodings := []string{
		distinctivePassword,
		strings.ToLower(distinctivePassword),
		base64.StdEncoding.EncodeToString([]byte(distinctivePassword)),
		base64.RawStdEncoding.EncodeToString([]byte(distinctivePassword)),
		base64.URLEncoding.EncodeToString([]byte(distinctivePassword)),
		hex.EncodeToString([]byte(distinctivePassword)),
		strings.ToUpper(hex.EncodeToString([]byte(distinctivePassword))),
	}
	for _, a := range newPasswordGroup(t).All() {
		for form, data := range written(a) {
			text := string(data)
			for _, e := range encodings {
				assert.NotContains(t, text, e, "%s %s", form, a.AdvType())
			}
			assert.NotContains(t, strings.ToLower(text), "quokka", "%s %s", form, a.AdvType())
		}
	}
}

// TestJoinFromAPublishedGroupAdvertisement joins as a peer that found only
// the PGA would: parsed from its text.
func TestJoinFromAPublishedGroupAdvertisement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	advs := newPasswordGroup(t)
	pga, err := advert.ParseAs[*advert.GroupAdv](advert.Marshal(advs.PGA))
	require.NoError(t, err)
	s, err := membership.FromGroupAdv(pga, jxta.NewPeerID(pga.GroupID))
	require.NoError(t, err)
	assert.True(t, s.NeedsPassword())

	_, err = s.Join(ctx, "mallory", "Quokka-9431-Marmalade?")
	assert.ErrorIs(t, err, membership.ErrWrongPassword)
	_, joined := s.Current()
	assert.False(t, joined)

	c, err := s.Join(ctx, "alice", distinctivePassword)
	require.NoError(t, err)
	assert.Equal(t, advs.PGA.GroupID, c.Group)
	assert.Equal(t, "alice", c.Identity)
}

func TestStandardGroupAdvertisement(t *testing.T) {
	t.Parallel()
	advs, err := group.NewGroupAdv(group.GroupOptions{Name: "open", Membership: membership.None})
	require.NoError(t, err)
	assert.Equal(t, jxta.StdGroupSpecID, advs.PGA.SpecID)
	assert.Empty(t, advs.PGA.Services)
	assert.Nil(t, advs.PGA.Desc)
	assert.Nil(t, advs.MSA)
	assert.Nil(t, advs.MIA)
	assert.Equal(t, []advert.Advertisement{advs.PGA}, advs.All())

	pga, err := advert.ParseAs[*advert.GroupAdv](advert.Marshal(advs.PGA))
	require.NoError(t, err)
	s, err := membership.FromGroupAdv(pga, jxta.NewPeerID(pga.GroupID))
	require.NoError(t, err)
	assert.False(t, s.NeedsPassword())
	c, err := s.Join(context.Background(), "", "")
	require.NoError(t, err)
	assert.Equal(t, membership.DefaultIdentity, c.Identity)
}

func TestNewGroupAdvIDs(t *testing.T) {
	t.Parallel()
	parent := jxta.NewGroupID()
	child, err := group.NewGroupAdv(group.GroupOptions{Parent: parent})
	require.NoError(t, err)
	got, ok := child.PGA.GroupID.Parent()
	require.True(t, ok, "the new ID records its parent")
	assert.Equal(t, parent, got)

	orphan, err := group.NewGroupAdv(group.GroupOptions{})
	require.NoError(t, err)
	_, ok = orphan.PGA.GroupID.Parent()
	assert.False(t, ok)

	id := jxta.NewGroupID()
	given, err := group.NewGroupAdv(group.GroupOptions{ID: id, Parent: parent})
	require.NoError(t, err)
	assert.Equal(t, id, given.PGA.GroupID, "a given ID is used as is")
}

func TestNewGroupAdvRefusesBadOptions(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string]group.GroupOptions{
		"password group without a password": {Membership: membership.Password},
		"password without password group":   {Password: "secret"},
		"unknown membership":                {Membership: "pse"},
		"the Net group's ID":                {ID: jxta.NetGroupID},
		"the World group's ID":              {ID: jxta.WorldGroupID},
	} {
		advs, err := group.NewGroupAdv(opts)
		assert.Error(t, err, name)
		assert.Nil(t, advs, name)
	}
}
