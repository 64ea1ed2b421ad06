package shell

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/gojxta/gojxta/internal/xfer"
)

// byteSize prints n bytes in binary units: "512 B", "50.0 MiB".
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// rate prints the throughput of n bytes in d: "41.7 MiB/s".
func rate(n int64, d time.Duration) string {
	if d <= 0 {
		d = time.Nanosecond
	}
	return byteSize(int64(float64(n)/d.Seconds())) + "/s"
}

// roundDuration keeps three significant figures or so of d.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// transferFigures says how much of a file of size bytes went in d,
// starting at offset: "50.0 MiB (52428800 bytes) in 1.23s, 40.6 MiB/s",
// with "resumed at <offset> of <size>" when offset is not 0.
func transferFigures(n, offset, size int64, d time.Duration) string {
	resumed := ""
	if offset > 0 {
		resumed = fmt.Sprintf(", resumed at %d of %d", offset, size)
	}
	return fmt.Sprintf("%s (%d bytes%s) in %v, %s", byteSize(n), n, resumed, roundDuration(d), rate(n, d))
}

// renamed explains why a file was saved under another name than offered.
func renamed(offered, saved string) string {
	if saved == offered {
		return ""
	}
	return fmt.Sprintf(" (%s is another file there: never overwritten)", offered)
}

// receivedLine is what a login prints when a transfer to user ends.
func receivedLine(user, dir, peer string, rec xfer.Received, err error) string {
	o := rec.Offer
	switch {
	case err != nil && o.Name == "":
		return fmt.Sprintf("xfer: %s: a transfer from %s failed: %v", user, peer, err)
	case err != nil:
		return fmt.Sprintf("xfer: %s: receiving %s from %s failed: %v", user, o.Name, o.Sender, err)
	case rec.AlreadyPresent:
		return fmt.Sprintf("xfer: %s already has %s from %s (%s, SHA-256 verified): %s", user, o.Name, o.Sender, byteSize(o.Size), filepath.Join(dir, rec.SavedAs))
	}
	return fmt.Sprintf("xfer: %s received %s from %s: %s, SHA-256 verified, saved as %s%s",
		user, o.Name, o.Sender, transferFigures(rec.Bytes, rec.Offset, o.Size, rec.Elapsed), filepath.Join(dir, rec.SavedAs), renamed(o.Name, rec.SavedAs))
}

// sentLine is what xfer send prints when the receiver took the file.
func sentLine(you string, o xfer.Offer, s xfer.Sent) string {
	if s.Bytes == 0 && s.Offset == o.Size && o.Size > 0 {
		return fmt.Sprintf("%s already has %s (%s, same SHA-256) as %s: nothing sent", you, o.Name, byteSize(o.Size), s.SavedAs)
	}
	return fmt.Sprintf("sent %s to %s: %s, SHA-256 verified by the receiver%s",
		o.Name, you, transferFigures(s.Bytes, s.Offset, o.Size, s.Elapsed), savedAs(o.Name, s.SavedAs))
}

// savedAs tells the sender the name the receiver chose, if not the
// offered one.
func savedAs(offered, saved string) string {
	if saved == offered {
		return ""
	}
	return "; saved as " + saved + renamed(offered, saved)
}
