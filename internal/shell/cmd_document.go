package shell

import (
	"errors"
	"fmt"
	"os"

	"github.com/gojxta/gojxta/jxta/advert"
)

func documentCommands() []*Command {
	return []*Command{
		{
			Name:     "validate",
			Synopsis: "validate FILE...",
			Summary:  "check JXTA documents",
			Details: `Reads each file as a JXTA document (advertisement, configuration or
protocol document), including documents flattened into it as escaped text,
and prints one line per file:
    OK <document type> <primary ID or -> FILE
    FAIL FILE: <reason, with the line>
The exit status is non-zero if any file failed.

Example:
    validate PlatformConfig peer.xml`,
			Run: runValidate,
		},
		{
			Name:     "importfile",
			Synopsis: "importfile FILE [var]",
			Summary:  "load a document from a file into a variable",
			Details: `Reads FILE as a JXTA document and stores it in var (or the next envN,
or the name given with "var = importfile FILE").

Example:
    importfile pipe.xml mypipe
    cat -p mypipe`,
			Run: runImportFile,
		},
		{
			Name:     "exportfile",
			Synopsis: "exportfile FILE var",
			Summary:  "save a document variable to a file",
			Details: `Writes the document held in var to FILE in JXSE's compact form (XML
declaration, DOCTYPE, xml:space="preserve", no indentation), which JXSE and
JXTA-C peers read.

Example:
    exportfile /tmp/pipe.xml mypipe`,
			Run: runExportFile,
		},
		{
			Name:     "cat",
			Synopsis: "cat [-p] var",
			Summary:  "show the content of a variable",
			Details: `Prints the object held in var. Documents print in JXSE's compact form, or
indented for reading with -p.

Options:
    -p    pretty-print (indent) documents

Example:
    cat -p env0`,
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
	if len(c.Args) == 0 {
		return Usagef("no files given")
	}
	failed := 0
	for _, f := range c.Args {
		data, err := readFile(f)
		var a advert.Advertisement
		if err == nil {
			a, err = advert.Validate(data)
		}
		if err != nil {
			failed++
			fmt.Fprintf(c.Out, "FAIL %s: %v\n", f, err)
			continue
		}
		id := "-"
		if !a.ID().IsNull() {
			id = a.ID().String()
		}
		fmt.Fprintf(c.Out, "OK %s %s %s\n", a.AdvType(), id, f)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d documents failed", failed, len(c.Args))
	}
	return nil
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
	a, err := advert.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", c.Args[0], err)
	}
	name := c.Result("env", fmt.Sprintf("%s imported from %s", a.AdvType(), c.Args[0]), a)
	fmt.Fprintf(c.Out, "%s = %s\n", name, a.AdvType())
	return nil
}

func runExportFile(c *Call) error {
	if len(c.Args) != 2 {
		return Usagef("want FILE var")
	}
	v, err := c.Var(c.Args[1])
	if err != nil {
		return err
	}
	a, ok := v.Value.(advert.Advertisement)
	if !ok {
		return fmt.Errorf("%s holds a %s, not a document", v.Name, typeName(v.Value))
	}
	return os.WriteFile(c.Args[0], advert.Marshal(a), 0o644)
}

var errNotPrintable = errors.New("cannot be printed")

func runCat(c *Call) error {
	fs := c.Flags()
	pretty := fs.Bool("p", false, "pretty-print")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return Usagef("want one variable")
	}
	v, err := c.Var(args[0])
	if err != nil {
		return err
	}
	switch val := v.Value.(type) {
	case advert.Advertisement:
		if *pretty {
			_, err = c.Out.Write(advert.MarshalIndent(val))
		} else {
			_, err = c.Out.Write(advert.Marshal(val))
		}
		return err
	case string:
		_, err = fmt.Fprintln(c.Out, val)
		return err
	case fmt.Stringer:
		_, err = fmt.Fprintln(c.Out, val.String())
		return err
	}
	return fmt.Errorf("%s holds a %s, which %w", v.Name, typeName(v.Value), errNotPrintable)
}
