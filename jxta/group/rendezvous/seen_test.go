package rendezvous

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSeenIDs(t *testing.T) {
	s := newSeenIDs(3, time.Minute)
	assert.True(t, s.add("a", epoch))
	assert.False(t, s.add("a", epoch.Add(time.Second)), "a duplicate")
	assert.True(t, s.add("a", epoch.Add(time.Minute)), "seen too long ago")

	for i := range 10 {
		s.add(fmt.Sprint(i), epoch)
		assert.LessOrEqual(t, len(s.at), 3)
	}
	assert.True(t, s.add("a", epoch.Add(time.Minute)), "forgotten: the oldest go first")
	assert.False(t, s.add("9", epoch.Add(time.Second)), "the newest stay")
}
