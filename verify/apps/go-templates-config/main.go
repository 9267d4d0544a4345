// fortunes: an HTTP service that reads its configuration from config/app.env and parses the HTML templates
// in templates/ at start, both relative to its working directory, as web apps built on html/template do
// (gin's LoadHTMLGlob, viper's app.env). Without them it exits at start. Standard library only.
// GET /fortune?n=3 renders the n-th fortune with the configured site name.
package main

import (
	"bufio"
	"html/template"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
)

var fortunes = []string{
	"A journey of a thousand miles begins with a single step.",
	"Simplicity is the ultimate sophistication.",
	"The best way out is always through.",
	"Well begun is half done.",
}

// readEnv reads KEY=VALUE lines; blank lines and # comments are skipped.
func readEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vars := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			vars[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return vars, s.Err()
}

func main() {
	cfg, err := readEnv("config/app.env")
	if err != nil {
		log.Fatalf("configuration: %v", err)
	}
	pages := template.Must(template.ParseGlob("templates/*.html"))
	site := cfg["SITE_NAME"]
	http.HandleFunc("/fortune", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		if n < 0 || n >= len(fortunes) {
			n = 0
		}
		data := map[string]any{"Site": site, "N": n, "Fortune": fortunes[n]}
		if err := pages.ExecuteTemplate(w, "fortune.html", data); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	addr := ":" + cfg["PORT"]
	log.Printf("%s listening on %s", site, addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
