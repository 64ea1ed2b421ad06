package discovery

import (
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// selfRefresh is how long this peer's flattened advertisement is reused
// before it is built again: queries and answers carry it (see announce), and
// it changes only with the peer's addresses.
const selfRefresh = 10 * time.Second

// selfAdv keeps this peer's advertisement, signed and flattened.
type selfAdv struct {
	build  func() *advert.PeerAdv
	signer advert.Signer

	mu   sync.Mutex
	text string
	at   time.Time
}

// flattened returns this peer's advertisement signed by this peer (a
// jxta:SA) as a flattened document, built again when it is older than
// selfRefresh at now.
func (a *selfAdv) flattened(now time.Time) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.text == "" || now.Sub(a.at) >= selfRefresh || now.Before(a.at) {
		a.text, a.at = protocol.Flatten(advert.Sign(a.build(), a.signer)), now
	}
	return a.text
}
