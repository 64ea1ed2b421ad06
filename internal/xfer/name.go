package xfer

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckName returns an error wrapping ErrBadName unless name is a plain
// file name: not empty, "." or "..", at most MaxNameLen bytes of UTF-8,
// without "/", "\" or control characters.
func CheckName(name string) error {
	why := ""
	switch {
	case name == "":
		why = "empty"
	case name == "." || name == "..":
		why = "a directory"
	case len(name) > MaxNameLen:
		why = fmt.Sprintf("longer than %d bytes", MaxNameLen)
	case strings.ContainsAny(name, `/\`):
		why = "it names a directory"
	default:
		why = badText(name)
	}
	if why != "" {
		return fmt.Errorf("%q: %w (%s)", name, ErrBadName, why)
	}
	return nil
}

// badText says what is wrong with s as a line's text: invalid UTF-8 or a
// control character; "" if nothing.
func badText(s string) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "a control character"
		}
	}
	return ""
}

// suffixed returns the name a file takes when name is taken by another
// one, for the n-th try: "report.pdf" becomes "report-1.pdf", "notes"
// "notes-1", ".profile" ".profile-1". n = 0 gives name itself.
func suffixed(name string, n int) string {
	if n == 0 {
		return name
	}
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		i = len(name)
	}
	return name[:i] + "-" + strconv.Itoa(n) + name[i:]
}
