package xfer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSuffixed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int
		want string
	}{
		{"report.pdf", 0, "report.pdf"},
		{"report.pdf", 1, "report-1.pdf"},
		{"archive.tar.gz", 12, "archive.tar-12.gz"},
		{"notes", 2, "notes-2"},
		{".profile", 1, ".profile-1"},
		{"a.", 1, "a-1."},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, suffixed(tt.name, tt.n), "%s %d", tt.name, tt.n)
	}
}
