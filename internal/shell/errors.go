package shell

import (
	"errors"
	"regexp"
	"strings"

	"github.com/gojxta/gojxta/jxta/endpoint"
)

// sendTo matches the prefix the endpoint puts on a failed send: the
// internal address of the service the message was for, which means
// nothing to the user.
var sendTo = regexp.MustCompile(`send to jxta://\S+: `)

// userMessage returns the text of a command's error for the user, who
// reads it after "cmd: ": without the command's name repeated (the
// libraries of the same name put it first), without the internal service
// addresses of the endpoint, and with the well-known failures said in
// plain words.
func userMessage(cmd string, err error) string {
	msg := err.Error()
	if errors.Is(err, endpoint.ErrUnknownPeer) {
		if _, rest, found := strings.Cut(msg, endpoint.ErrUnknownPeer.Error()+" "); found {
			peer, why, _ := strings.Cut(rest, " ")
			why = strings.Trim(why, "()")
			if why == "" {
				why = "not found by discovery, and not connected"
			}
			return "peer " + peer + ": no known address (" + why + ")"
		}
	}
	msg = sendTo.ReplaceAllString(msg, "")
	for strings.HasPrefix(msg, cmd+": ") {
		msg = msg[len(cmd)+2:]
	}
	return msg
}
