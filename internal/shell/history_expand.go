package shell

import (
	"fmt"
	"strconv"
	"strings"
)

// expandHistory replaces an event designator at the start of line with the
// history entry it names, as bash does: !! is the last entry, !n entry n,
// !-n the n-th last, and !text the last entry starting with text. The rest
// of the line is kept ("!! | grep x"). It reports whether line started with
// a designator; a designator naming no entry is an error. entries are
// oldest first, numbered from 1.
func expandHistory(line string, entries []string) (string, bool, error) {
	body := strings.TrimLeft(line, " \t")
	if len(body) < 2 || body[0] != '!' || strings.ContainsRune(" \t=(;|", rune(body[1])) {
		return line, false, nil // not a designator, as "! x" or "!=" in bash
	}
	end := 1 + strings.IndexAny(body[1:], " \t;|")
	if end == 0 {
		end = len(body)
	}
	event, rest := body[:end], body[end:]
	if strings.HasPrefix(body, "!!") {
		event, rest = "!!", body[2:]
	}
	entry, ok := historyEvent(event[1:], entries)
	if !ok {
		return line, true, fmt.Errorf("%s: event not found", event)
	}
	return entry + rest, true, nil
}

// historyEvent returns the entry that designator (an event without its
// leading "!") names.
func historyEvent(designator string, entries []string) (string, bool) {
	n := len(entries)
	if designator == "!" {
		designator = "-1"
	}
	if i, err := strconv.Atoi(designator); err == nil {
		if i < 0 {
			i += n + 1
		}
		if i < 1 || i > n {
			return "", false
		}
		return entries[i-1], true
	}
	for i := n - 1; i >= 0; i-- {
		if strings.HasPrefix(entries[i], designator) {
			return entries[i], true
		}
	}
	return "", false
}
