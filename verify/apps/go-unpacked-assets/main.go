// banner: prints the banner and the version of its asset folder, /srv/banner, which the Dockerfile unpacks
// there from an archive with `tar -xzf … -C /srv/banner` in a RUN. Without the folder it fails (exit 1): the
// case checks that the rewrite carries what tar unpacks in the final stage to the runtime stage (fixture
// 84-go-unpacked-tool-and-assets).
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	banner, err := os.ReadFile("/srv/banner/banner.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, "no assets:", err)
		os.Exit(1)
	}
	version, err := os.ReadFile("/srv/banner/VERSION")
	if err != nil {
		fmt.Fprintln(os.Stderr, "no version:", err)
		os.Exit(1)
	}
	fmt.Print(string(banner))
	fmt.Println("assets", strings.TrimSpace(string(version)))
}
