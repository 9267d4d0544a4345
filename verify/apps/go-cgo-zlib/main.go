// zlibver: a cgo program that links the system's zlib (libz.so.1, which every Debian image has) without
// its -dev package, so the Dockerfile names no package slimfile could map to a runtime library. Its
// rewrite targets distroless/base, which has no zlib: the builder's ldd check must stop the build with
// the library's name, instead of an image that builds and then cannot start (exit 127).
package main

/*
#cgo LDFLAGS: -l:libz.so.1
const char *zlibVersion(void);
*/
import "C"

import "fmt"

func main() {
	fmt.Println("zlib", C.GoString(C.zlibVersion()))
}
