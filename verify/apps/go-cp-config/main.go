// greeter: prints the greeting of its configuration file, /etc/greeter/config.txt, which the Dockerfile
// copies there with `cp` in a RUN (not a COPY). Without the file it fails (exit 1): the case checks that the
// rewrite carries files a RUN makes with cp to the runtime stage (fixture 78-go-copied-config; fixture
// 77-node-downloads-and-copies does the same for curl and wget downloads).
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	b, err := os.ReadFile("/etc/greeter/config.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, "no configuration:", err)
		os.Exit(1)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "greeting=") {
			fmt.Println(strings.TrimPrefix(line, "greeting="))
			return
		}
	}
	fmt.Fprintln(os.Stderr, "no greeting= line in /etc/greeter/config.txt")
	os.Exit(2)
}
