package shell

// builtins returns the command table. Each group of commands is defined in
// its own cmd_*.go file.
func builtins() []*Command {
	var cmds []*Command
	cmds = append(cmds, sessionCommands()...)
	cmds = append(cmds, documentCommands()...)
	cmds = append(cmds, textCommands()...)
	cmds = append(cmds, peerCommands()...)
	cmds = append(cmds, discoveryCommands()...)
	cmds = append(cmds, groupCommands()...)
	cmds = append(cmds, peerInfoCommands()...)
	cmds = append(cmds, pipeCommands()...)
	cmds = append(cmds, infraCommands()...)
	cmds = append(cmds, statsCommands()...)
	cmds = append(cmds, moduleCommands()...)
	cmds = append(cmds, historyCommands()...)
	cmds = append(cmds, talkCommands()...)
	cmds = append(cmds, xferCommands()...)
	return cmds
}
