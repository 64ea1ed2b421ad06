package shell

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/gojxta/gojxta/jxta/protocol"
)

func documentCommands() []*Command {
	return []*Command{
		{
			Name:     "validate",
			Synopsis: "validate [-u | --unknown] [FILE | var]...",
			Summary:  "check JXTA documents",
			Details: `Reads each file as a JXTA document (advertisement, configuration or
protocol document), including documents flattened into it as escaped text,
and prints one line per file:
    OK <document type> <primary ID or -> FILE
    FAIL FILE: <reason, with the line>
The exit status is non-zero if any file failed. A well-formed document of
a type gojxta does not know (an application's own advertisement, say)
fails, as gojxta cannot check it, unless -u is given.

An argument naming a shell variable that holds a document (importfile,
search, newpipe...) checks that document, in the form it is sent in,
and names the variable in its line; when a file has the same name as a
variable, the variable wins (write ./NAME for the file).

With no argument, after a "|", it checks the document the command before
it returned, or else the text that command wrote, and names it - in its
line; a valid document goes on down the pipeline.

Options:
    -u, --unknown   accept documents of unknown types, unchecked:
                    OK (unknown type, not checked) <type> - FILE

Example:
    validate PlatformConfig peer.xml
    importfile pipe.xml p; validate p
    importfile pipe.xml | validate`,
			Run: runValidate,
		},
		{
			Name:     "importfile",
			Synopsis: "importfile FILE [var]",
			Summary:  "load a document from a file into a variable",
			Details: `Reads FILE and stores it in var (or the next envN, or the name given
with "var = importfile FILE"): a file starting with "<" as a JXTA document
(an advertisement), which must be valid, any other as UTF-8 text, which
put can place in a message. The document goes on down a pipeline.

A signed advertisement (jxta:SA, as gojxta peers sign what they publish)
is verified: its Ed25519 signature over the document, and that the key is
the one of the publisher's peer ID; importfile says who signed it, and a
document whose signature does not hold is refused. cat shows the signer
and the document; exportfile and the other commands use the document.

Example:
    importfile pipe.xml mypipe
    cat -p mypipe`,
			Run: runImportFile,
		},
		{
			Name:     "exportfile",
			Synopsis: "exportfile FILE [var]",
			Summary:  "save a variable, or the input, to a file",
			Details: `Writes the object held in var to FILE. A document is written in JXSE's
compact form (XML declaration, DOCTYPE, xml:space="preserve", no
indentation), which JXSE and JXTA-C peers read; other objects as cat shows
them.

With no var it saves its input: after a "|", the object the command before
it returned, or else the text that command wrote; otherwise the lines typed
(or read from the script) up to a line holding only ".".

Example:
    exportfile /tmp/pipe.xml mypipe
    search -n 1 | exportfile /tmp/found.xml
    peers | exportfile /tmp/peers.txt`,
			Run: runExportFile,
		},
		{
			Name:     "cat",
			Synopsis: "cat [-p] [var]",
			Summary:  "show the content of a variable",
			Details: `Prints the object held in var: a document in JXSE's compact form (-p:
indented for reading), a list of discovery results one line per
advertisement (-p: the advertisements themselves, indented), text as it
is. The object goes on down a pipeline, so "x = cat y" copies y.

With no var, after a "|", it prints the object the command before it
returned, or else copies the text that command wrote.

Options:
    -p    pretty-print (indent) documents

Example:
    cat -p env0
    search -n 1 | cat -p`,
			Run: runCat,
		},
	}
}

// maxFileSize bounds the files the document commands read.
const maxFileSize = 64 << 20

func readFile(name string) ([]byte, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory", name)
	}
	if st.Size() > maxFileSize {
		return nil, fmt.Errorf("%s is %d bytes, more than %d", name, st.Size(), maxFileSize)
	}
	return os.ReadFile(name)
}

func runValidate(c *Call) error {
	fs := c.Flags()
	var unknown bool
	fs.BoolVar(&unknown, "u", false, "accept unknown types")
	fs.BoolVar(&unknown, "unknown", false, "accept unknown types")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return validateInput(c, unknown)
	}
	failed := 0
	for _, arg := range args {
		data, err := validateSource(c, arg)
		if err == nil {
			err = validateOne(c, data, arg, unknown)
		}
		if err != nil {
			failed++
			fmt.Fprintf(c.Out, "FAIL %s: %v\n", arg, err)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d documents failed", failed, len(args))
	}
	return nil
}

// validateSource returns the document validate checks for arg: that of
// the variable arg if there is one, else the content of the file arg.
func validateSource(c *Call, arg string) ([]byte, error) {
	v := c.Shell.Env.Get(arg)
	if v == nil {
		return readFile(arg)
	}
	switch val := v.Value.(type) {
	case string:
		return []byte(val), nil
	case []byte:
		return val, nil
	}
	a, err := advertOf(v)
	if err != nil {
		return nil, err
	}
	return advert.Marshal(a), nil
}

// validateInput checks what the pipe brings: the document the previous
// command returned, which goes on down the pipeline if valid, or else the
// text it wrote.
func validateInput(c *Call, unknown bool) error {
	if c.In == nil {
		return Usagef("no files given")
	}
	var piped advert.Advertisement
	if c.Piped != nil {
		piped, _ = advertOf(c.Piped)
	}
	var data []byte
	if piped != nil {
		data = advert.Marshal(piped)
	} else {
		var err error
		if data, err = readAll(c.In); err != nil {
			return err
		}
	}
	if err := validateOne(c, data, "-", unknown); err != nil {
		fmt.Fprintf(c.Out, "FAIL -: %v\n", err)
		return errors.New("1 of 1 documents failed")
	}
	if piped != nil {
		c.Return(c.Piped.Description, c.Piped.Value)
	}
	return nil
}

// errUnknownType fails a well-formed document of a type gojxta does not
// know, which it therefore cannot check.
var errUnknownType = errors.New("not a JXTA document type that gojxta knows")

// validateOne checks one document, advertisement or protocol document, and
// prints its OK line. A document of an unknown type fails unless unknown
// is set.
func validateOne(c *Call, data []byte, source string, unknown bool) error {
	a, err := protocol.Validate(data)
	if err != nil {
		return err
	}
	if _, generic := a.(*advert.Generic); generic {
		if !unknown {
			return fmt.Errorf("<%s>: %w (validate -u accepts it unchecked)", a.AdvType(), errUnknownType)
		}
		fmt.Fprintf(c.Out, "OK (unknown type, not checked) %s - %s\n", a.AdvType(), source)
		return nil
	}
	id := "-"
	if !a.ID().IsNull() {
		id = a.ID().String()
	}
	fmt.Fprintf(c.Out, "OK %s %s %s\n", a.AdvType(), id, source)
	return nil
}

// readAll reads r, up to maxText bytes.
func readAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxText+1))
	if err == nil && len(data) > maxText {
		err = fmt.Errorf("input longer than %d bytes", maxText)
	}
	return data, err
}

func runImportFile(c *Call) error {
	if len(c.Args) < 1 || len(c.Args) > 2 {
		return Usagef("want FILE [var]")
	}
	if len(c.Args) == 2 {
		if !validVarName(c.Args[1]) {
			return Usagef("%q is not a variable name", c.Args[1])
		}
		c.Assign = c.Args[1]
	}
	data, err := readFile(c.Args[0])
	if err != nil {
		return err
	}
	if !looksLikeXML(data) {
		if !utf8.Valid(data) {
			return fmt.Errorf("%s: neither an XML document nor UTF-8 text", c.Args[0])
		}
		name := c.Result("env", "text imported from "+c.Args[0], string(data))
		fmt.Fprintf(c.Out, "%s = text (%s)\n", name, plural(len(data), "byte"))
		return nil
	}
	a, err := advert.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", c.Args[0], err)
	}
	name := c.Result("env", fmt.Sprintf("%s imported from %s", a.AdvType(), c.Args[0]), a)
	fmt.Fprintf(c.Out, "%s = %s\n", name, a.AdvType())
	if sa, ok := a.(*advert.SignedAdv); ok {
		// Parse verified it.
		fmt.Fprintf(c.Out, "%s\n", signerText(sa))
	}
	return nil
}

// signerText says who signed a verified signed advertisement, and what.
func signerText(sa *advert.SignedAdv) string {
	return fmt.Sprintf("signed by %s (Ed25519 %s), signature verified: %s %s",
		sa.Publisher, identity.Fingerprint(sa.Key), sa.Adv.AdvType(), idText(sa.Adv.ID()))
}

// looksLikeXML reports whether data starts, after a byte order mark and
// blanks, with "<": a document to parse rather than plain text.
func looksLikeXML(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '<'
}

func runExportFile(c *Call) error {
	if len(c.Args) < 1 || len(c.Args) > 2 {
		return Usagef("want FILE [var]")
	}
	var name string
	if len(c.Args) == 2 {
		name = c.Args[1]
	}
	v, err := c.Object(name)
	if err != nil {
		return err
	}
	var data []byte
	if v != nil {
		if data, err = exportForm(v); err != nil {
			return err
		}
	} else {
		in, err := c.Input()
		if err != nil {
			return err
		}
		if data, err = readAll(in); err != nil {
			return err
		}
	}
	return os.WriteFile(c.Args[0], data, 0o644)
}

// exportForm returns what exportfile writes for v: a document in compact
// form, another object as cat shows it.
func exportForm(v *Var) ([]byte, error) {
	if a, err := advertOf(v); err == nil {
		return advert.Marshal(a), nil
	}
	var b bytes.Buffer
	if err := showObject(&b, v, false); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func runCat(c *Call) error {
	fs := c.Flags()
	pretty := fs.Bool("p", false, "pretty-print")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) > 1 || len(args) == 0 && c.Piped == nil && c.In == nil {
		return Usagef("want one variable")
	}
	var name string
	if len(args) == 1 {
		name = args[0]
	}
	v, err := c.Object(name)
	if err != nil {
		return err
	}
	if v == nil { // text from the pipe
		_, err = io.Copy(c.Out, c.In)
		return err
	}
	if err := showObject(c.Out, v, *pretty); err != nil {
		return err
	}
	c.Return(v.Description, v.Value)
	return nil
}
