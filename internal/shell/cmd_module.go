package shell

import (
	"fmt"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// moduleCommands make the advertisements that define services: a module
// class (what a service is) and a module spec (one specification of it).
func moduleCommands() []*Command {
	return []*Command{
		{
			Name:     "newmoduleclass",
			Synopsis: "newmoduleclass [-n name] [-d description] [-b baseMCID]",
			Summary:  "create a module class advertisement",
			Details: `Creates a module class advertisement (jxta:MCA), which announces a kind of
service, with a new random module class ID, and stores it in a variable
(envN, or the name given with "var = newmoduleclass"). Publish it with
publish -d. With -b, the new class is a role of the base class: its ID
shares the base class's first half, as JXSE's role IDs do.

Options:
    -n name         the class's name
    -d description  a description
    -b baseMCID     a base module class: an MCID, or a variable holding a
                    module class advertisement

Example:
    chat = newmoduleclass -n chat -d "a chat service"
    publish -d chat
    newmodulespec -n chat-1 chat`,
			Run: runNewModuleClass,
		},
		{
			Name:     "newmodulespec",
			Synopsis: "newmodulespec [-n name] [-d description] [-v version] [-p proxySpec] [-a authSpec] MCID",
			Summary:  "create a module spec advertisement",
			Details: `Creates a module spec advertisement (jxta:MSA), one specification of a
module class, with a new random module spec ID of that class and this peer's
name as its creator, and stores it in a variable (envN, or the name given
with "var = newmodulespec"). Publish it with publish -d.

Options:
    -n name         the spec's name
    -d description  a description
    -v version      the spec's version (default 1.0)
    -p proxySpec    the module spec ID of a proxy for the module
    -a authSpec     the module spec ID of its authenticator

The argument is the module class: an MCID, or a variable holding a module
class advertisement. A spec ID names a base class: the spec of a role
belongs to the role's base class.

Example:
    chat = newmoduleclass -n chat
    spec = newmodulespec -n chat-1 -v 1.2 chat
    publish -d spec`,
			Run: runNewModuleSpec,
		},
	}
}

func runNewModuleClass(c *Call) error {
	fs := c.Flags()
	name := fs.String("n", "", "name")
	desc := fs.String("d", "", "description")
	base := fs.String("b", "", "base class")
	if err := c.ParseOptions(fs); err != nil {
		return err
	}
	id := jxta.NewModuleClassID()
	if *base != "" {
		b, err := moduleClassArg(c, *base)
		if err != nil {
			return err
		}
		id = jxta.NewModuleRoleID(b)
	}
	mca := &advert.ModuleClassAdv{ClassID: id, Name: *name}
	if *desc != "" {
		mca.Desc = advert.NewText("Desc", *desc)
	}
	v := c.Result("env", "module class advertisement "+*name, mca)
	fmt.Fprintf(c.Out, "%s = module class %s %s\n", v, *name, id)
	return nil
}

func runNewModuleSpec(c *Call) error {
	fs := c.Flags()
	name := fs.String("n", "", "name")
	desc := fs.String("d", "", "description")
	version := fs.String("v", "1.0", "version")
	proxy := fs.String("p", "", "proxy spec")
	auth := fs.String("a", "", "authenticator spec")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return Usagef("want one module class")
	}
	class, err := moduleClassArg(c, args[0])
	if err != nil {
		return err
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	msa := &advert.ModuleSpecAdv{SpecID: jxta.NewModuleSpecID(class), Name: *name, Version: *version, Creator: n.Name()}
	if *desc != "" {
		msa.Desc = advert.NewText("Desc", *desc)
	}
	for _, o := range []struct {
		text string
		to   *jxta.ModuleSpecID
	}{{*proxy, &msa.Proxy}, {*auth, &msa.Auth}} {
		if o.text == "" {
			continue
		}
		if *o.to, err = jxta.ParseModuleSpecID(o.text); err != nil {
			return Usagef("%q is not a module spec ID", o.text)
		}
	}
	v := c.Result("env", "module spec advertisement "+*name, msa)
	fmt.Fprintf(c.Out, "%s = module spec %s %s (class %s)\n", v, *name, msa.SpecID, msa.SpecID.Class())
	return nil
}

// moduleClassArg reads a module class: a variable holding a module class
// advertisement, or an MCID.
func moduleClassArg(c *Call, s string) (jxta.ModuleClassID, error) {
	if v := c.Shell.Env.Get(s); v != nil {
		if mca, ok := v.Value.(*advert.ModuleClassAdv); ok {
			return mca.ClassID, nil
		}
		return jxta.ModuleClassID{}, fmt.Errorf("%s holds %s, not a module class advertisement", s, aKind(v.Value))
	}
	id, err := jxta.ParseModuleClassID(s)
	if err != nil {
		return jxta.ModuleClassID{}, Usagef("%q is neither a module class variable nor a module class ID", s)
	}
	return id, nil
}
