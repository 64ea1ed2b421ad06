package shell

import "github.com/gojxta/gojxta/jxta/group"

// Group returns the group that group-scoped commands act in: the shell's
// current group (JXSE's stdgroup), the Net group until the shell changes
// it. It starts the peer if needed. Every command that reads or writes a
// group's cache, or makes IDs in a group, asks this method which group.
func (c *Call) Group() (*group.Group, error) {
	n, err := c.Peer()
	if err != nil {
		return nil, err
	}
	if c.Shell.current != nil {
		return c.Shell.current, nil
	}
	return n.NetGroup(), nil
}
