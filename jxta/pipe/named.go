package pipe

import (
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// namedPrefix starts the seed of every named pipe, so that named pipes
// do not meet the seeded pipes of other uses.
const namedPrefix = "gojxta named pipe\x00"

// NamedAdv returns the advertisement of the unicast pipe called name in
// group. Its ID is derived from the group and the name, so that every peer
// computes the same pipe without discovering its advertisement first:
// NewPipeIDFromSeed(group, SeedDigest(namedPrefix + name)). The digest
// matters: the seeded constructors keep 16 bytes of a seed, and the
// prefix alone is 18.
func NamedAdv(group jxta.GroupID, name string) *advert.PipeAdv {
	id := jxta.NewPipeIDFromSeed(group, jxta.SeedDigest([]byte(namedPrefix+name)))
	return &advert.PipeAdv{PipeID: id, Type: advert.PipeUnicast, Name: name}
}
