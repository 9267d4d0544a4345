// zlibver: a cgo program that links the system's zlib (libz.so.1, which every Debian image has) without
// its -dev package. The same program as go-cgo-zlib, converted with the slim target, which the builder's
// ldd check names when distroless lacks a library: debian:bookworm-slim has zlib, so it runs.
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
