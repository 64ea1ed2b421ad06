package advert

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const formattedPA = `<?xml version="1.0"?>
<!DOCTYPE jxta:PA>
<jxta:PA xmlns:jxta="http://jxta.org" extra="kept">
	<PID>
		urn:jxta:uuid-59616261646162614E504720503250334578616D706C4520B330B003
	</PID>
	<GID>urn:jxta:jxta-NetGroup</GID>
	<Name>  alice  </Name>
	<Desc>a <b>rich</b> description</Desc>
	<Dbg>unknown element</Dbg>
	<Svc>
		<MCID>urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000805</MCID>
		<Parm>
			<jxta:RA xmlns:jxta="http://jxta.org">
				<Dst><jxta:APA><EA>tcp://10.0.0.2:9701</EA><EA> tcp://[::1]:9701 </EA></jxta:APA></Dst>
			</jxta:RA>
		</Parm>
	</Svc>
	<Svc><MCID>urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605</MCID><Parm><Rdv>true</Rdv></Parm></Svc>
</jxta:PA>
`

func TestPeerAdvFields(t *testing.T) {
	t.Parallel()
	pa, err := ParseAs[*PeerAdv]([]byte(formattedPA))
	require.NoError(t, err)
	assert.Equal(t, "urn:jxta:uuid-59616261646162614E504720503250334578616D706C4520B330B003", pa.PeerID.String())
	assert.Equal(t, jxta.NetGroupID, pa.GroupID)
	assert.Equal(t, "alice", pa.Name)
	assert.Equal(t, []string{"tcp://10.0.0.2:9701", "tcp://[::1]:9701"}, pa.EndpointAddresses())
	assert.Equal(t, []Field{{"Name", "alice"}, {"PID", pa.PeerID.String()}}, pa.IndexFields())
	assert.Equal(t, Peers, CategoryOf(pa))
	require.NotNil(t, pa.Service(jxta.RendezvousClassID))

	out := string(Marshal(pa))
	for _, want := range []string{`extra="kept"`, "<Dbg>unknown element</Dbg>", "<Desc>a <b>rich</b> description</Desc>", "<Rdv>true</Rdv>", `xml:space="preserve"`} {
		assert.Contains(t, out, want)
	}
	assert.True(t, strings.Index(out, "<PID>") < strings.Index(out, "<GID>"), "JXSE order")
	assert.NotContains(t, out, "\t", "compact form has no indentation")
	assert.Contains(t, string(MarshalIndent(pa)), "\n\t<Name>alice</Name>\n")
}

// sampleAdvertisements builds one advertisement of every type this package
// defines, with most fields set.
func sampleAdvertisements(t *testing.T) []Advertisement {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	peer := jxta.NewPeerIDFromKey(jxta.NetGroupID, pub)
	group := jxta.NewGroupIDWithParent(jxta.NetGroupID)
	pa := &PeerAdv{PeerID: peer, GroupID: jxta.NetGroupID, Name: "bob & <co>", Key: pub}
	require.NoError(t, pa.SetEndpointAddresses([]string{"tcp://127.0.0.1:9701"}))
	msa := &ModuleSpecAdv{SpecID: jxta.NewModuleSpecID(jxta.NewModuleClassID()), Name: "svc", Version: "1.0",
		Pipe: NewPipeAdv(jxta.NetGroupID, PipeUnicast, "svc-pipe")}
	signer, err := identity.New()
	require.NoError(t, err)
	advs := []Advertisement{
		pa,
		&GroupAdv{GroupID: group, SpecID: jxta.StdGroupSpecID, Name: "g", Desc: NewText("Desc", "a group")},
		NewPipeAdv(group, PipePropagate, "chat"),
		&ModuleClassAdv{ClassID: jxta.NewModuleClassID(), Name: "c"},
		msa,
		&ModuleImplAdv{SpecID: msa.SpecID, Code: "net.example.Impl"},
		&RdvAdv{GroupID: jxta.NetGroupID, PeerID: peer, ServiceName: "svc", Name: "r",
			Route: &RouteAdv{DstPeerID: peer, Dst: &AccessPointAdv{Addresses: []string{"tcp://a:1"}}}},
		&AccessPointAdv{PeerID: peer, Addresses: []string{"tcp://a:1", "http://b:2"}},
		&RouteAdv{DstPeerID: peer, Dst: &AccessPointAdv{Addresses: []string{"tcp://a:1"}},
			Hops: []*AccessPointAdv{{PeerID: jxta.NewPeerID(jxta.NetGroupID), Addresses: []string{"tcp://c:3"}}}},
		&PlatformConfig{PeerID: peer, Name: "me", Services: []Service{{MCID: jxta.TCPClassID, Disabled: true}}},
		&TCPTransportAdv{Port: 9701, PortStart: 9701, PortEnd: 9799, ConfigMode: "auto", ServerOff: true, PublicAddressOnly: true},
		&HTTPTransportAdv{Port: 9700, ProxyOff: true},
		&MulticastTransportAdv{MulticastAddr: "224.0.1.85", MulticastPort: 1234, MulticastSize: 16384},
		&RdvConfig{Mode: RdvModeEdge, LeaseDuration: 1200000, Seeds: []Seed{{Addr: "tcp://s:9701"}, {Addr: "http://list", Seeding: true}}},
		&RelayConfig{Client: true},
		Sign(NewPipeAdv(group, PipeUnicast, "signed"), signer),
	}
	return advs
}

func TestNewAdvertisementsRoundTrip(t *testing.T) {
	t.Parallel()
	advs := sampleAdvertisements(t)
	msa := advs[4].(*ModuleSpecAdv)
	for _, a := range advs {
		t.Run(a.AdvType(), func(t *testing.T) {
			for _, out := range [][]byte{Marshal(a), MarshalIndent(a)} {
				b, err := Parse(out)
				require.NoError(t, err, "%s", out)
				assert.Equal(t, a.AdvType(), b.AdvType())
				assert.Equal(t, a.ID(), b.ID())
				assert.Equal(t, a.IndexFields(), b.IndexFields())
				assert.Equal(t, string(Marshal(a)), string(Marshal(b)))
			}
		})
	}
	got, err := ParseAs[*ModuleSpecAdv](Marshal(msa))
	require.NoError(t, err)
	require.NotNil(t, got.Pipe)
	assert.Equal(t, msa.Pipe.PipeID, got.Pipe.PipeID)
	rc, err := ParseAs[*RdvConfig](Marshal(advs[13]))
	require.NoError(t, err)
	assert.Equal(t, advs[13].(*RdvConfig).Seeds, rc.Seeds)
}

func TestErrorsNameElementAndLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, want string
		err             error
	}{
		{"missing PID", "<jxta:PA>\n<GID>urn:jxta:jxta-NetGroup</GID>\n</jxta:PA>", "jxta:PA line 1: <jxta:PA>: missing required element <PID>", ErrMissing},
		{"bad hex", "<jxta:PA>\n<PID>urn:jxta:uuid-XYZ3</PID>\n</jxta:PA>", "jxta:PA line 2: <PID>", jxta.ErrBadID},
		{"wrong kind", "<jxta:PA>\n\n<PID>urn:jxta:jxta-NetGroup</PID></jxta:PA>", "jxta:PA line 3: <PID>: ID \"urn:jxta:jxta-NetGroup\": is a peer group ID, want a peer ID", jxta.ErrWrongKind},
		{"not a URN", "<jxta:PipeAdvertisement><Id>hello</Id><Type>JxtaUnicast</Type></jxta:PipeAdvertisement>", "<Id>", jxta.ErrNotJXTAURN},
		{"pipe without type", "<jxta:PipeAdvertisement><Id>urn:jxta:uuid-0004</Id></jxta:PipeAdvertisement>", "missing required element <Type>", ErrMissing},
		{"PGA without MSID", "<jxta:PGA><GID>urn:jxta:uuid-0002</GID></jxta:PGA>", "missing required element <MSID>", ErrMissing},
		{"MIA without Code", "<jxta:MIA><MSID>urn:jxta:uuid-0006</MSID><Comp/></jxta:MIA>", "missing required element <Code>", ErrMissing},
		{"Rdv without service", "<jxta:RdvAdvertisement><RdvGroupId>urn:jxta:jxta-NetGroup</RdvGroupId><RdvPeerId>urn:jxta:uuid-0003</RdvPeerId></jxta:RdvAdvertisement>", "<RdvServiceName>", ErrMissing},
		{"bad number", "<jxta:TransportAdvertisement type=\"jxta:TCPTransportAdvertisement\">\n<Port>ninety</Port></jxta:TransportAdvertisement>", "jxta:TCPTransportAdvertisement line 2: <Port>: invalid value: \"ninety\" is not an integer", ErrInvalid},
		{"nested RA", "<jxta:RdvAdvertisement><RdvGroupId>urn:jxta:jxta-NetGroup</RdvGroupId><RdvPeerId>urn:jxta:uuid-0003</RdvPeerId><RdvServiceName>x</RdvServiceName>\n<RdvRoute><jxta:RA>\n<DstPID>urn:jxta:uuid-0004</DstPID></jxta:RA></RdvRoute></jxta:RdvAdvertisement>", "jxta:RA line 3: <DstPID>", jxta.ErrWrongKind},
		{"not XML", "PID=1", "document: line 1: text outside the root element", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var ae *Error
			assert.True(t, errors.As(err, &ae))
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
			}
		})
	}
}

func TestWrongRootForExpectedType(t *testing.T) {
	t.Parallel()
	_, err := ParseAs[*PeerAdv]([]byte(`<html><body/></html>`))
	assert.ErrorIs(t, err, ErrWrongType)
	assert.ErrorContains(t, err, "html: wrong document type: want *advert.PeerAdv")
	_, err = ParseAs[*PlatformConfig](Marshal(NewPipeAdv(jxta.NetGroupID, PipeUnicast, "p")))
	assert.ErrorIs(t, err, ErrWrongType)
}

func TestTypeAttributeChoosesDecoder(t *testing.T) {
	t.Parallel()
	a, err := Parse([]byte(`<jxta:TransportAdvertisement type="jxta:HTTPTransportAdvertisement"><Port>9700</Port></jxta:TransportAdvertisement>`))
	require.NoError(t, err)
	h, ok := a.(*HTTPTransportAdv)
	require.True(t, ok, "%T", a)
	assert.Equal(t, 9700, h.Port)

	a, err = Parse([]byte(`<jxta:Unknown type="jxta:Other"><X>1</X></jxta:Unknown>`))
	require.NoError(t, err)
	g, ok := a.(*Generic)
	require.True(t, ok)
	assert.Equal(t, "jxta:Other", g.AdvType())
	assert.Equal(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE jxta:Unknown>\n<jxta:Unknown type=\"jxta:Other\"><X>1</X></jxta:Unknown>\n", string(Marshal(g)))
}

func TestServiceConfigFromRenamedParm(t *testing.T) {
	t.Parallel()
	doc := `<jxta:CP type="jxta:PlatformConfig"><Svc><MCID>urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605</MCID>
<Parm type="jxta:RdvConfig" config="rendezvous" maxTTL="7"><seeds useOnlySeeds="true"><addr>tcp://1.2.3.4:9701</addr></seeds></Parm></Svc>
<Svc disabled="true"><MCID>urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000905</MCID><Parm><jxta:TransportAdvertisement type="jxta:TCPTransportAdvertisement"><Port>9701</Port></jxta:TransportAdvertisement><isOff/></Parm></Svc></jxta:CP>`
	cp, err := ParseAs[*PlatformConfig]([]byte(doc))
	require.NoError(t, err)
	rdv, err := cp.Service(jxta.RendezvousClassID).Config(nil)
	require.NoError(t, err)
	rc := rdv.(*RdvConfig)
	assert.Equal(t, RdvModeRendezvous, rc.Mode)
	assert.Equal(t, 7, rc.MaxTTL)
	assert.True(t, rc.UseOnlySeeds)
	assert.Equal(t, []Seed{{Addr: "tcp://1.2.3.4:9701"}}, rc.Seeds)
	tcpSvc := cp.Service(jxta.TCPClassID)
	assert.True(t, tcpSvc.Off())
	tcp, err := tcpSvc.Config(nil)
	require.NoError(t, err)
	assert.Equal(t, 9701, tcp.(*TCPTransportAdv).Port)
}

func TestValidateChecksFlattenedDocuments(t *testing.T) {
	t.Parallel()
	inner := string(Marshal(NewPipeAdv(jxta.NetGroupID, PipeUnicast, "p")))
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(inner)
	ok := "<jxta:DiscoveryResponse><Response>" + esc + "</Response></jxta:DiscoveryResponse>"
	_, err := Validate([]byte(ok))
	require.NoError(t, err)
	broken := strings.ReplaceAll(esc, "Id>", "Ident>")
	_, err = Validate([]byte("<jxta:DiscoveryResponse>\n<Response>" + broken + "</Response></jxta:DiscoveryResponse>"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "jxta:DiscoveryResponse line 2: <Response>: embedded document: jxta:PipeAdvertisement")
	assert.Contains(t, err.Error(), "missing required element <Id>")
	// Parse alone does not look inside flattened documents.
	_, err = Parse([]byte("<jxta:DiscoveryResponse><Response>" + broken + "</Response></jxta:DiscoveryResponse>"))
	assert.NoError(t, err)
}

func TestPeerAdvKey(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	pa := &PeerAdv{PeerID: jxta.NewPeerIDFromKey(jxta.NetGroupID, pub), GroupID: jxta.NetGroupID, Name: "keyed", Key: pub}
	data := Marshal(pa)
	assert.Contains(t, string(data), `<Key type="Ed25519">`+base64.StdEncoding.EncodeToString(pub)+`</Key>`)
	back, err := ParseAs[*PeerAdv](data)
	require.NoError(t, err)
	assert.Equal(t, pub, back.Key)
	assert.True(t, back.PeerID.IsKeyOf(back.Key))

	other, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	forged := *pa
	forged.Key = other
	_, err = ParseAs[*PeerAdv](Marshal(&forged))
	require.Error(t, err, "a key that does not derive the peer ID")
	assert.Contains(t, err.Error(), "the key does not derive the peer ID")

	for _, bad := range []string{
		`<Key type="Ed25519">AAAA</Key>`,
		`<Key type="RSA">` + base64.StdEncoding.EncodeToString(pub) + `</Key>`,
		`<Key type="Ed25519">not base64!</Key>`,
	} {
		doc := strings.Replace(string(data), `<Key type="Ed25519">`+base64.StdEncoding.EncodeToString(pub)+`</Key>`, bad, 1)
		_, err := ParseAs[*PeerAdv]([]byte(doc))
		assert.Error(t, err, bad)
	}
}
