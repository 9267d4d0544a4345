// timezones: a small HTTP service that converts a fixed instant to a few time zones (it needs the
// tzdata files at run time) and signs its answer with SHA-256 (crypto/sha256), using only the standard
// library. GET /convert?at=2024-03-31T01:30:00Z&zones=Europe/Paris,America/New_York
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strings"
	"time"
)

type zoneTime struct {
	Zone   string `json:"zone"`
	Local  string `json:"local"`
	Offset int    `json:"offset_seconds"`
}

type answer struct {
	At     string     `json:"at"`
	Zones  []zoneTime `json:"zones"`
	Digest string     `json:"sha256"`
}

func convert(w http.ResponseWriter, r *http.Request) {
	at := r.URL.Query().Get("at")
	if at == "" {
		at = "2024-03-31T01:30:00Z"
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	zones := r.URL.Query().Get("zones")
	if zones == "" {
		zones = "Europe/Paris,America/New_York,Asia/Kolkata,Australia/Lord_Howe"
	}
	a := answer{At: t.UTC().Format(time.RFC3339)}
	for _, name := range strings.Split(zones, ",") {
		loc, err := time.LoadLocation(name)
		if err != nil {
			http.Error(w, "unknown zone "+name+": "+err.Error(), http.StatusNotFound)
			return
		}
		lt := t.In(loc)
		_, off := lt.Zone()
		a.Zones = append(a.Zones, zoneTime{Zone: name, Local: lt.Format("2006-01-02 15:04:05 MST"), Offset: off})
	}
	body, _ := json.Marshal(a.Zones)
	sum := sha256.Sum256(body)
	a.Digest = hex.EncodeToString(sum[:])
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(a)
}

func main() {
	addr := ":8080"
	if p := os.Getenv("PORT"); p != "" {
		addr = ":" + p
	}
	http.HandleFunc("/convert", convert)
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
