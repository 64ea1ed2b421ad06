package shell

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCountText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want textCounts
	}{
		{"", textCounts{}},
		{"\n", textCounts{lines: 1, chars: 1}},
		{"a", textCounts{lines: 1, words: 1, chars: 1}},
		{"a b\n", textCounts{lines: 1, words: 2, chars: 4}},
		{"a\nb", textCounts{lines: 2, words: 2, chars: 3}},
		{"  lead  and\ttrail  \n\n", textCounts{lines: 2, words: 3, chars: 21}},
		{"héllo wörld\n", textCounts{lines: 1, words: 2, chars: 12}},
		{"\xff\xfe", textCounts{lines: 1, words: 1, chars: 2}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, countText([]byte(tt.text)), "%q", tt.text)
	}
}

func TestGrepLines(t *testing.T) {
	t.Parallel()
	text := "One\ntwo\nthree one\n"
	run := func(f lineFilter, number, count bool) (string, int) {
		var b bytes.Buffer
		n, err := grepLines(strings.NewReader(text), &b, f, number, count)
		require.NoError(t, err)
		return b.String(), n
	}
	out, n := run(lineFilter{pattern: "one"}, false, false)
	assert.Equal(t, "three one\n", out)
	assert.Equal(t, 1, n)
	out, n = run(lineFilter{pattern: "ONE", ignoreCase: true}, true, false)
	assert.Equal(t, "1:One\n3:three one\n", out)
	assert.Equal(t, 2, n)
	out, n = run(lineFilter{pattern: "one", invert: true}, false, true)
	assert.Empty(t, out, "-c prints nothing per line")
	assert.Equal(t, 2, n)

	_, err := grepLines(strings.NewReader(strings.Repeat("x", maxLine+1)), &bytes.Buffer{}, lineFilter{}, false, false)
	assert.Error(t, err, "a line longer than the limit")
}

func TestPage(t *testing.T) {
	t.Parallel()
	text := []byte("1\n2\n3\n4\n5\n6\n7")
	tests := []struct {
		name    string
		size    int
		answers []int // lines to show next
		want    string
		asked   int
	}{
		{"fits on one screen", 10, nil, "1\n2\n3\n4\n5\n6\n7", 0},
		{"exactly one screen", 7, nil, "1\n2\n3\n4\n5\n6\n7", 0},
		{"all screens", 3, []int{3, 3}, "1\n2\n3\n4\n5\n6\n7", 2},
		{"stop after the first", 3, []int{0}, "1\n2\n3\n", 1},
		{"stop after the second", 2, []int{2, 0}, "1\n2\n3\n4\n", 2},
		{"line by line", 2, []int{1, 1, 0}, "1\n2\n3\n4\n", 3},
		{"a line, then a screen", 2, []int{1, 2, 0}, "1\n2\n3\n4\n5\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			asked := 0
			err := page(&b, text, tt.size, func() (int, error) {
				a := tt.answers[asked]
				asked++
				return a, nil
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, b.String())
			assert.Equal(t, tt.asked, asked)
		})
	}

	t.Run("an error stops", func(t *testing.T) {
		t.Parallel()
		boom := errors.New("boom")
		var b bytes.Buffer
		err := page(&b, text, 1, func() (int, error) { return 1, boom })
		assert.ErrorIs(t, err, boom)
		assert.Equal(t, "1\n", b.String())
	})
}

func TestPipeTextBound(t *testing.T) {
	t.Parallel()
	var p pipeText
	n, err := p.Write(make([]byte, maxText-1))
	require.NoError(t, err)
	require.Equal(t, maxText-1, n)
	_, err = p.Write([]byte("ab"))
	assert.ErrorIs(t, err, errPipeFull)
	assert.True(t, p.full)
	assert.Equal(t, maxText-1, p.Len(), "the refused write added nothing")
}
