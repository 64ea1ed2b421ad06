package membership_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/group/membership"
)

// A password group: its advertisement carries a verifier of the password,
// and joining asks for the password itself.
func Example() {
	ctx := context.Background()
	verifier, err := membership.NewVerifier("a long group password")
	if err != nil {
		panic(err)
	}
	group := jxta.NewGroupID()
	s, err := membership.New(group, jxta.NewPeerID(group), membership.Password, verifier)
	if err != nil {
		panic(err)
	}

	_, err = s.Join(ctx, "alice", "a wrong guess")
	fmt.Println(errors.Is(err, membership.ErrWrongPassword))

	c, err := s.Join(ctx, "alice", "a long group password")
	fmt.Println(c.Identity, c.Kind, err)
	// Output:
	// true
	// alice password <nil>
}
