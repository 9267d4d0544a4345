// checksum: prints the CRC-32 and Adler-32 of its arguments computed twice, by Go's hash/crc32 and by
// a C function through cgo (so the binary links glibc dynamically), plus the glibc version it runs on.
package main

/*
#include <stdint.h>
#include <gnu/libc-version.h>

static uint32_t crc32_c(const unsigned char *p, int n) {
	uint32_t c = 0xFFFFFFFFu;
	for (int i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return ~c;
}
*/
import "C"

import (
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"os"
	"unsafe"
)

func main() {
	fmt.Printf("glibc %s\n", C.GoString(C.gnu_get_libc_version()))
	for _, arg := range os.Args[1:] {
		b := []byte(arg)
		var viaC uint32
		if len(b) > 0 {
			viaC = uint32(C.crc32_c((*C.uchar)(unsafe.Pointer(&b[0])), C.int(len(b))))
		}
		fmt.Printf("%-12s crc32=%08x (cgo %08x) adler32=%08x\n", arg, crc32.ChecksumIEEE(b), viaC, adler32.Checksum(b))
	}
}
