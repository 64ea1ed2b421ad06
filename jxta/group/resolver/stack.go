package resolver

// handlerStack is the stack size a query handler's goroutine grows to
// before the handler runs (see growStack).
const handlerStack = 32 << 10

// growStack grows the calling goroutine's stack to handlerStack bytes
// while the stack is nearly empty. A handler goroutine starts with a few
// kilobytes, and reading and writing the nested documents of a query
// takes it past 16 KB: grown one doubling at a time, each doubling copies
// an ever deeper stack and adjusts every frame on it, which measured
// about a fifth of a discovery handler's time. Grown at once here, the
// copy is of one frame. It costs the clearing of handlerStack bytes.
//
//go:noinline
func growStack() byte {
	var pad [handlerStack]byte
	return pad[stackIndex] // pad must exist: read one byte of it
}

// stackIndex keeps the compiler from dropping growStack's array: it is
// always 0, but the compiler cannot know.
var stackIndex int
