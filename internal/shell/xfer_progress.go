package shell

import (
	"fmt"
	"time"

	"github.com/gojxta/gojxta/internal/xfer"
	"github.com/schollz/progressbar/v3"
)

// xferBar shows the progress of xfer send on a terminal; elsewhere it
// shows nothing (the command prints a summary line at the end).
type xferBar struct {
	bar *progressbar.ProgressBar // nil: not a terminal
	out func()                   // ends the bar's line
}

// progressBar returns the bar of a transfer of offer: drawn on the
// command's output if it is a terminal.
func (c *Call) progressBar(offer xfer.Offer) *xferBar {
	if _, ok := c.terminalRows(); !ok {
		return &xferBar{}
	}
	bar := progressbar.NewOptions64(offer.Size,
		progressbar.OptionSetWriter(c.Out),
		progressbar.OptionSetDescription(offer.Name),
		progressbar.OptionShowBytes(true),
		progressbar.OptionUseIECUnits(true),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
	)
	return &xferBar{bar: bar, out: func() { fmt.Fprintln(c.Out) }}
}

// set shows that the receiver holds held bytes.
func (b *xferBar) set(held int64) {
	if b.bar != nil {
		_ = b.bar.Set64(held)
	}
}

// end draws the bar's last state (complete, unless err) and ends its
// line.
func (b *xferBar) end(err error) {
	if b.bar == nil {
		return
	}
	if err == nil {
		_ = b.bar.Finish()
	} else {
		_ = b.bar.Exit()
	}
	b.out()
}
