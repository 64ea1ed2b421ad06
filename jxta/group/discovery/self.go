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

// selfAdv keeps this peer's advertisement, flattened.
type selfAdv struct {
	build func() *advert.PeerAdv

	mu   sync.Mutex
	text string
	at   time.Time
}

// flattened returns this peer's advertisement as a flattened document,
// built again when it is older than selfRefresh at now.
func (a *selfAdv) flattened(now time.Time) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.text == "" || now.Sub(a.at) >= selfRefresh || now.Before(a.at) {
		a.text, a.at = protocol.Flatten(a.build()), now
	}
	return a.text
}
