package ngspicefull

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// ngspiceCache keeps what ngspice wrote for a netlist text, so that a second run of the
// harness (after a change to gospice) does not wait for ngspice again. The key is the
// text ngspice runs with its output folder left out, and the netlist's place in the
// corpus (its includes are read from there); the corpus and ngspice are taken to be
// those of the run that filled the cache. An empty dir means no cache.
type ngspiceCache struct {
	dir, key string
}

type cacheMeta struct {
	Status string  `json:"status"`
	Secs   float64 `json:"secs"`
}

// cacheKey names the cache entry of an ngspice run of text written at rel, a path
// inside the corpus.
func cacheKey(text, rel string) string {
	h := sha256.New()
	h.Write([]byte(filepath.ToSlash(rel) + "\x00" + text))
	return hex.EncodeToString(h.Sum(nil))
}

func (c ngspiceCache) entry() string { return filepath.Join(c.dir, c.key[:2], c.key) }

// restore copies a kept run's files into out and returns how it ended.
func (c ngspiceCache) restore(out string) (status string, took time.Duration, ok bool) {
	if c.dir == "" {
		return "", 0, false
	}
	b, err := os.ReadFile(filepath.Join(c.entry(), "meta.json"))
	var m cacheMeta
	if err != nil || json.Unmarshal(b, &m) != nil {
		return "", 0, false
	}
	if err := copyTree(filepath.Join(c.entry(), "files"), out); err != nil {
		return "", 0, false
	}
	return m.Status, time.Duration(m.Secs * float64(time.Second)), true
}

// save keeps the files of out and the run's status; meta.json is written last, so an
// entry cut short is not used.
func (c ngspiceCache) save(out, status string, took time.Duration) error {
	if c.dir == "" {
		return nil
	}
	e := c.entry()
	if err := os.RemoveAll(e); err != nil {
		return err
	}
	if err := copyTree(out, filepath.Join(e, "files")); err != nil {
		return err
	}
	b, err := json.Marshal(cacheMeta{Status: status, Secs: took.Seconds()})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(e, "meta.json"), b, 0o644)
}
