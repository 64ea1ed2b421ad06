package shell

import (
	"strings"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/pipe"
)

// kindOf names the kind of object v is, in the user's words ("peer
// advertisement", "input pipe", "text"), for env listings and error
// messages. It is the one place that knows these names: a new kind of
// object the shell holds gets a case here. aKind adds the article.
func kindOf(v any) string {
	switch val := v.(type) {
	case *advert.PeerAdv:
		return "peer advertisement"
	case *advert.GroupAdv:
		return "peer group advertisement"
	case *advert.PipeAdv:
		return "pipe advertisement"
	case *advert.ModuleClassAdv:
		return "module class advertisement"
	case *advert.ModuleSpecAdv:
		return "module spec advertisement"
	case *advert.ModuleImplAdv:
		return "module implementation advertisement"
	case *advert.RdvAdv:
		return "rendezvous advertisement"
	case *advert.RouteAdv:
		return "route advertisement"
	case *advert.AccessPointAdv:
		return "endpoint access point advertisement"
	case *advert.TCPTransportAdv:
		return "TCP transport advertisement"
	case *advert.HTTPTransportAdv:
		return "HTTP transport advertisement"
	case *advert.MulticastTransportAdv:
		return "multicast transport advertisement"
	case *advert.PlatformConfig:
		return "peer configuration"
	case *advert.RdvConfig:
		return "rendezvous configuration"
	case *advert.RelayConfig:
		return "relay configuration"
	case *advert.Generic:
		return "document of unknown type " + val.AdvType()
	case advert.Advertisement: // the protocol documents
		return val.AdvType() + " document"
	case Found:
		return "list of discovery results"
	case *jxta.Message:
		return "message"
	case *pipe.InputPipe:
		return "input pipe"
	case *pipe.OutputPipe:
		return "output pipe"
	case *pipeConn:
		return "pipe connection"
	case string:
		return "text"
	case []byte:
		return "binary data"
	case nil:
		return "nothing"
	}
	return "value of an unknown kind"
}

// aKind is kindOf with the indefinite article, where the kind takes one:
// "a peer advertisement", "an input pipe", "text".
func aKind(v any) string {
	k := kindOf(v)
	switch {
	case k == "text" || k == "binary data" || k == "nothing":
		return k
	case strings.IndexByte("aeiouAEIOU", k[0]) >= 0:
		return "an " + k
	}
	return "a " + k
}
