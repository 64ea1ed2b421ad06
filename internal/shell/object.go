package shell

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// errNotPrintable is returned for a value showObject does not know.
var errNotPrintable = errors.New("cannot be printed")

// showObject writes the value of v as cat shows it, pretty (indented)
// with -p. It is the one place that knows how each type of object the
// shell holds prints: a new type (a message, say) gets a case here, and
// cat, more, grep, wc and exportfile show it.
func showObject(w io.Writer, v *Var, pretty bool) error {
	var err error
	switch val := v.Value.(type) {
	case *advert.SignedAdv:
		// Who signed it, then the document signed, as its publisher wrote
		// it (-p: indented).
		if _, err = fmt.Fprintln(w, signerText(val)); err != nil {
			break
		}
		if pretty {
			_, err = w.Write(advert.MarshalIndent(val.Adv))
		} else {
			_, err = w.Write(val.Data)
		}
	case advert.Advertisement:
		if pretty {
			_, err = w.Write(advert.MarshalIndent(val))
		} else {
			_, err = w.Write(advert.Marshal(val))
		}
	case Found:
		if !pretty {
			_, err = fmt.Fprintln(w, val.String())
			break
		}
		for _, fa := range val { // the advertisements themselves
			if _, err = w.Write(advert.MarshalIndent(fa.Adv)); err != nil {
				break
			}
		}
	case *jxta.Message:
		err = showMessage(w, val, pretty)
	case []byte:
		_, err = w.Write(val)
	case string:
		_, err = io.WriteString(w, withNewline(val))
	case fmt.Stringer:
		_, err = io.WriteString(w, withNewline(val.String()))
	default:
		return fmt.Errorf("%s holds %s, which %w", objectName(v), aKind(v.Value), errNotPrintable)
	}
	return err
}

// showMessage lists a message's elements as JXSE's cat does: name (with
// its namespace), MIME type and length; pretty adds the text of text and
// XML elements.
func showMessage(w io.Writer, m *jxta.Message, pretty bool) error {
	if _, err := fmt.Fprintf(w, "message of %s\n", plural(m.Len(), "element")); err != nil {
		return err
	}
	for _, e := range m.Elements() {
		name := e.Name
		if e.Namespace != "" {
			name = e.Namespace + ":" + e.Name
		}
		if _, err := fmt.Fprintf(w, "  %s  %s  %s\n", name, e.MIMEType(), plural(len(e.Data), "byte")); err != nil {
			return err
		}
		if pretty && (isText(e.MIMEType()) || strings.HasSuffix(e.MIMEType(), "xml")) {
			for _, line := range strings.Split(strings.TrimRight(string(e.Data), "\n"), "\n") {
				if _, err := fmt.Fprintf(w, "    %s\n", line); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// objectText returns v as cat -p shows it, the form grep and wc read.
func objectText(v *Var) (io.Reader, error) {
	var b bytes.Buffer
	if err := showObject(&b, v, true); err != nil {
		return nil, err
	}
	return &b, nil
}

// advertOf returns the advertisement v holds. A list of results
// ("x = peers") holding exactly one advertisement stands for it, and a
// signed advertisement (verified when it was read) for the one signed.
func advertOf(v *Var) (advert.Advertisement, error) {
	switch val := v.Value.(type) {
	case *advert.SignedAdv:
		return val.Adv, nil
	case advert.Advertisement:
		return val, nil
	case Found:
		switch len(val) {
		case 0:
			return nil, fmt.Errorf("%s holds no advertisement: its command found nothing", objectName(v))
		case 1:
			return val[0].Adv, nil
		}
		vars := make([]string, len(val))
		for i, fa := range val {
			vars[i] = fa.Var
		}
		return nil, fmt.Errorf("%s holds %s (%s): name one", objectName(v), plural(len(val), "advertisement"), strings.Join(vars, " "))
	}
	return nil, fmt.Errorf("%s holds %s, not an advertisement", objectName(v), aKind(v.Value))
}

// objectName names v in messages: its variable, or what the pipe
// brought.
func objectName(v *Var) string {
	if v.Name == "" {
		return "the piped object"
	}
	return v.Name
}

func withNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}
