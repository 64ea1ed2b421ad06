package xfer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxAnswerLen bounds one answer line of the receiver, "\n" included.
const maxAnswerLen = 1024

// Answers of the receiver: the first word of its lines.
const (
	answerResume = "resume" // resume <offset>: send from there
	answerRefuse = "refuse" // refuse <reason>: the offer is refused
	answerOK     = "ok"     // ok <name>: saved and verified
	answerFail   = "fail"   // fail <reason>: not saved
)

// writeAnswer writes the line "<kind> <text>", with text's control
// characters turned into spaces and text shortened to fit maxAnswerLen.
func writeAnswer(w io.Writer, kind, text string) error {
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(text, "?"))
	for len(kind)+1+len(text)+1 > maxAnswerLen {
		_, size := utf8.DecodeLastRuneInString(text)
		text = text[:len(text)-size]
	}
	_, err := io.WriteString(w, kind+" "+text+"\n")
	return err
}

// readAnswer reads one answer line and splits it into its kind and text.
func readAnswer(r *bufio.Reader) (kind, text string, err error) {
	budget := maxAnswerLen
	line, err := readLine(r, &budget)
	if err != nil {
		return "", "", err
	}
	kind, text, ok := strings.Cut(line, " ")
	if !ok {
		return "", "", &ProtocolError{What: "an answer without text", Line: line}
	}
	return kind, text, nil
}

// readResume reads the receiver's answer to an offer of size bytes: the
// offset to send from, or its refusal as a *RemoteError.
func readResume(r *bufio.Reader, size int64) (int64, error) {
	kind, text, err := readAnswer(r)
	if err != nil {
		return 0, err
	}
	switch kind {
	case answerResume:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil || n < 0 || n > size {
			return 0, &ProtocolError{What: fmt.Sprintf("bad offset for a file of %d bytes", size), Line: kind + " " + text}
		}
		return n, nil
	case answerRefuse:
		return 0, &RemoteError{Refused: true, Reason: text}
	}
	return 0, &ProtocolError{What: "unknown answer to an offer", Line: kind + " " + text}
}

// readVerdict reads the receiver's last answer: the name the file was
// saved under, or its failure as a *RemoteError.
func readVerdict(r *bufio.Reader) (string, error) {
	kind, text, err := readAnswer(r)
	if err != nil {
		return "", err
	}
	switch kind {
	case answerOK:
		if err := CheckName(text); err != nil {
			return "", &ProtocolError{What: "bad saved name", Line: kind + " " + text}
		}
		return text, nil
	case answerFail:
		return "", &RemoteError{Reason: text}
	}
	return "", &ProtocolError{What: "unknown verdict", Line: kind + " " + text}
}

// unexpectedEOF turns io.EOF, which ends a stream between messages, into
// io.ErrUnexpectedEOF: the peer closed in the middle of the protocol.
func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
