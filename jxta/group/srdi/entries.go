package srdi

import (
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// Entries returns the index entries of a, one per non-empty index field,
// each living exp, and the primary key they go under (the discovery
// category of a: Peers, Groups or Adv).
func Entries(a advert.Advertisement, exp time.Duration) (pkey string, entries []protocol.SRDIEntry) {
	for _, f := range a.IndexFields() {
		v := strings.TrimSpace(f.Value)
		if f.Name == "" || v == "" || len(v) > MaxValueLength {
			continue
		}
		entries = append(entries, protocol.SRDIEntry{SKey: f.Name, Value: v, Expiration: exp})
	}
	return advert.CategoryOf(a).String(), entries
}
