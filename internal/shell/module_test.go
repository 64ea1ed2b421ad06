package shell_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/xsdtest"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModuleAdvertisements(t *testing.T) {
	t.Parallel()
	s, _ := peerSession(t, networks()[1].config("maker"))
	assert.Regexp(t, `^chat = module class chat urn:jxta:uuid-\w+05\n$`, s.run(t, `chat = newmoduleclass -n chat -d "a chat service"`))
	chat := s.varAdv(t, "chat").(*advert.ModuleClassAdv)
	assert.Equal(t, "chat", chat.Name)
	assert.Equal(t, "a chat service", advert.Text(chat.Desc))
	assert.False(t, chat.ClassID.IsRole())

	s.run(t, "voice = newmoduleclass -n voice -b chat")
	voice := s.varAdv(t, "voice").(*advert.ModuleClassAdv)
	assert.True(t, voice.ClassID.IsRole())
	assert.Equal(t, chat.ClassID, voice.ClassID.Base(), "a role of chat")
	s.run(t, "video = newmoduleclass -b "+chat.ClassID.String())
	assert.Equal(t, chat.ClassID, s.varAdv(t, "video").(*advert.ModuleClassAdv).ClassID.Base())

	proxy, auth := jxta.NewModuleSpecID(chat.ClassID), jxta.NewModuleSpecID(chat.ClassID)
	out := s.run(t, fmt.Sprintf(`spec = newmodulespec -n chat-1 -d first -v 1.2 -p %s -a %s chat`, proxy, auth))
	assert.Regexp(t, `^spec = module spec chat-1 urn:jxta:uuid-\w+06 \(class `+chat.ClassID.String()+`\)\n$`, out)
	spec := s.varAdv(t, "spec").(*advert.ModuleSpecAdv)
	assert.Equal(t, chat.ClassID, spec.SpecID.Class())
	assert.Equal(t, "1.2", spec.Version)
	assert.Equal(t, "maker", spec.Creator)
	assert.Equal(t, "first", advert.Text(spec.Desc))
	assert.Equal(t, proxy, spec.Proxy)
	assert.Equal(t, auth, spec.Auth)
	out = s.run(t, "newmodulespec voice")
	assert.Regexp(t, `^env0 = module spec  urn:jxta:uuid-\w+ \(class `+chat.ClassID.String()+`\)\n$`, out, "a role's spec belongs to its base class")
	assert.Equal(t, "1.0", s.varAdv(t, "env0").(*advert.ModuleSpecAdv).Version)

	// They publish, are found, and have a lifetime in the cache.
	s.run(t, "publish -d chat; publish -d spec")
	assert.Equal(t, "adv0: jxta:MCA name = chat\nadv1: jxta:MSA name = chat-1\n", s.run(t, "search -a Name -v chat*"))
	assert.Contains(t, s.run(t, "info -d spec"), "Expires for others in : 7200000 ms\n")
	assert.Contains(t, s.run(t, "info -d chat"), "Expires on            : ")

	// What they make is valid by the published schema, compact and
	// indented.
	xsdtest.Xmllint(t)
	dir := t.TempDir()
	var files []string
	for _, name := range []string{"chat", "voice", "video", "spec", "env0"} {
		a := s.varAdv(t, name)
		for form, data := range map[string][]byte{"compact": advert.Marshal(a), "indented": advert.MarshalIndent(a)} {
			p := filepath.Join(dir, name+"-"+form+".xml")
			require.NoError(t, os.WriteFile(p, data, 0o644))
			files = append(files, p)
		}
	}
	for f, msg := range xsdtest.Validate(t, files) {
		data, _ := os.ReadFile(f)
		t.Errorf("%s does not validate:\n%s\n%s", filepath.Base(f), msg, data)
	}
}

func TestModuleCommandErrors(t *testing.T) {
	t.Parallel()
	s, _ := peerSession(t, networks()[1].config("maker"))
	s.run(t, "p = newpipe -n x; c = newmoduleclass -n c")
	for line, status := range map[string]int{
		"newmodulespec":                             2,
		"newmodulespec c c":                         2,
		"newmodulespec nosuch":                      2,
		"newmodulespec p":                           1,
		"newmodulespec -p junk c":                   2,
		"newmodulespec -a junk c":                   2,
		"newmoduleclass extra":                      2,
		"newmoduleclass -b junk":                    2,
		"newmoduleclass -b p":                       1,
		"newmoduleclass -b " + pipeID:               2,
		"newmodulespec " + jxta.NetGroupID.String(): 2,
	} {
		s.fail(t, line, status)
	}
	assert.Contains(t, s.fail(t, "newmodulespec p", 1), "p holds a pipe advertisement, not a module class advertisement")
}

// TestModuleAdvertisementReachesAnotherPeer: a module class pushed to
// another peer lands in its cache, with the two hours a remote
// publication gives it.
func TestModuleAdvertisementReachesAnotherPeer(t *testing.T) {
	t.Parallel()
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			t.Parallel()
			alice, _, bob, _ := pair(t, tn)
			alice.run(t, "chat = newmoduleclass -n chat; remotepublish -d chat")
			m := bob.runUntil(t, "search -a Name -v chat", regexp.MustCompile(`(?m)^(adv\d+): jxta:MCA name = chat$`))
			out := bob.run(t, "info -d "+m[1])
			expires := strings.TrimPrefix(lines(out)[0], "Expires on            : ")
			at, err := time.Parse("Mon Jan 02 15:04:05 MST 2006", expires)
			require.NoError(t, err)
			assert.WithinDuration(t, time.Now().Add(2*time.Hour), at, 10*time.Minute, "a remote publication's two hours")
			assert.Regexp(t, `(?m)^Expires for others in : \d+ ms$`, out)
			assert.Equal(t, alice.varAdv(t, "chat").ID().String(), bob.varAdv(t, m[1]).ID().String())
		})
	}
}
