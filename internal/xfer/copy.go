package xfer

import (
	"context"
	"crypto/sha256"
	"io"
)

// copyBufferSize is the size of the pieces files are read and written in.
const copyBufferSize = 256 << 10

// copyContext copies r to w until r ends, checking ctx between pieces.
func copyContext(ctx context.Context, w io.Writer, r io.Reader) (int64, error) {
	buf := make([]byte, copyBufferSize)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k, err := r.Read(buf)
		if k > 0 {
			if _, werr := w.Write(buf[:k]); werr != nil {
				return n, werr
			}
			n += int64(k)
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// hashReader returns the SHA-256 of what r holds.
func hashReader(ctx context.Context, r io.Reader) ([sha256.Size]byte, error) {
	h := sha256.New()
	var sum [sha256.Size]byte
	if _, err := copyContext(ctx, h, r); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}
