package jxta

// The UUIDs JXSE gives the World and Net groups in the uuid format:
// "YabadabaJXTAP2P!" and "YabadabaNPG P2P!".
var (
	worldGroupUUID = [16]byte{0x59, 0x61, 0x62, 0x61, 0x64, 0x61, 0x62, 0x61, 0x4A, 0x78, 0x74, 0x61, 0x50, 0x32, 0x50, 0x33}
	netGroupUUID   = [16]byte{0x59, 0x61, 0x62, 0x61, 0x64, 0x61, 0x62, 0x61, 0x4E, 0x50, 0x47, 0x20, 0x50, 0x32, 0x50, 0x33}
)

func wellKnownGroup(u [16]byte) GroupID {
	id := ID{format: FormatJXTA}
	copy(id.b[:16], u[:])
	id.b[idSize-1] = byte(KindGroup)
	return GroupID{id}
}

// The well-known IDs of the "jxta" format.
var (
	// NullID is urn:jxta:jxta-Null, the zero ID.
	NullID = ID{}
	// WorldGroupID is urn:jxta:jxta-WorldGroup, the World peer group, the
	// root of every peer's group tree.
	WorldGroupID = wellKnownGroup(worldGroupUUID)
	// NetGroupID is urn:jxta:jxta-NetGroup, the default Net peer group,
	// child of the World group.
	NetGroupID = wellKnownGroup(netGroupUUID)
)

// The well-known module IDs all start with this uuid prefix.
const wellKnownModulePrefix = "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE"

func wkClass(suffix string) ModuleClassID {
	return ModuleClassID{MustParse(wellKnownModulePrefix + suffix)}
}

func wkSpec(suffix string) ModuleSpecID {
	return ModuleSpecID{MustParse(wellKnownModulePrefix + suffix)}
}

// Well-known module class IDs (JXSE PeerGroup/IModuleDefinitions; JXTA-C
// uses the same values).
var (
	PeerGroupClassID   = wkClass("0000000105")
	ResolverClassID    = wkClass("0000000205")
	DiscoveryClassID   = wkClass("0000000305")
	PipeClassID        = wkClass("0000000405")
	MembershipClassID  = wkClass("0000000505")
	RendezvousClassID  = wkClass("0000000605")
	PeerInfoClassID    = wkClass("0000000705")
	EndpointClassID    = wkClass("0000000805")
	TCPClassID         = wkClass("0000000905")
	HTTPClassID        = wkClass("0000000A05")
	RouterClassID      = wkClass("0000000B05")
	ApplicationClassID = wkClass("0000000C05")
	TLSClassID         = wkClass("0000000D05")
	ProxyClassID       = wkClass("0000000E05")
	RelayClassID       = wkClass("0000000F05")
	AccessClassID      = wkClass("0000001005")
	MulticastClassID   = wkClass("0000001105")
	ContentClassID     = ModuleClassID{MustParse("urn:jxta:uuid-DDC5CA55578E4AB99A0AA81D2DC6EF3F05")}
)

// Well-known module spec IDs.
var (
	WorldGroupSpecID         = wkSpec("000000010106")
	NetGroupSpecID           = wkSpec("000000010206")
	StdGroupSpecID           = wkSpec("000000010306") // the all-purpose peer group
	ResolverSpecID           = wkSpec("000000020106")
	DiscoverySpecID          = wkSpec("000000030106")
	PipeSpecID               = wkSpec("000000040106")
	MembershipNoneSpecID     = wkSpec("000000050106")
	MembershipPasswordSpecID = wkSpec("000000050206")
	MembershipPSESpecID      = wkSpec("000000050306")
	RendezvousSpecID         = wkSpec("000000060106")
	PeerInfoSpecID           = wkSpec("000000070106")
	EndpointSpecID           = wkSpec("000000080106")
	TCPSpecID                = wkSpec("000000090106")
	HTTPSpecID               = wkSpec("0000000A0106")
	RouterSpecID             = wkSpec("0000000B0106")
	TLSSpecID                = wkSpec("0000000D0106")
	ProxySpecID              = wkSpec("0000000E0106")
	RelaySpecID              = wkSpec("0000000F0106")
	ShellSpecID              = wkSpec("0000000C0206")
	MulticastSpecID          = ModuleSpecID{MustParse("urn:jxta:uuid-0C801F65D38F421C9884D706B337B8110106")}
)
