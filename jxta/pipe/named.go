package pipe

import (
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// NamedAdv returns the advertisement of the unicast pipe called name in
// group. Its ID is derived from the group and the name, so that every peer
// computes the same pipe without discovering its advertisement first.
func NamedAdv(group jxta.GroupID, name string) *advert.PipeAdv {
	id := jxta.NewPipeIDFromSeed(group, []byte("gojxta named pipe\x00"+name))
	return &advert.PipeAdv{PipeID: id, Type: advert.PipeUnicast, Name: name}
}
