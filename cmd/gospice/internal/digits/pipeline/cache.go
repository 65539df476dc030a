package pipeline

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gospice/gospice/cmd/gospice/internal/atomicfile"
)

// Fingerprint identifies the features of a set of recordings under a configuration: it
// covers the configuration and every recording's name and bytes, so that a changed file,
// setting or seed gives another fingerprint (and the cache starts over).
func Fingerprint(c Config, recs []Recording) (string, error) {
	h := sha256.New()
	cfg, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "gospice digits features 1\n%s\n", cfg)
	for _, r := range recs {
		b, err := os.ReadFile(r.Path)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %x\n", r.Name, sha256.Sum256(b))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Cache is the features of recordings kept in a folder as CSV (file, digit, then the
// features): FeaturesFile(fp) once complete, and its partial name while being written,
// one row appended per recording as it finishes, so that an interrupted run resumes.
type Cache struct {
	Dir, FP string
	Len     int                  // features per recording
	Rows    map[string][]float64 // by recording name
	Labels  map[string]int

	partial *os.File
	w       *bufio.Writer
}

// FeaturesFile is the cache's file name for fingerprint fp.
func FeaturesFile(fp string) string { return "features-" + fp[:16] + ".csv" }

func partialFile(fp string) string { return "features-" + fp[:16] + ".partial.csv" }

// OpenCache reads what dir holds for fingerprint fp, complete or partial, and removes
// the feature files of other fingerprints (other recordings, models or settings). stale
// tells whether it removed any.
func OpenCache(dir, fp string, n int) (c *Cache, stale bool, err error) {
	c = &Cache{Dir: dir, FP: fp, Len: n, Rows: map[string][]float64{}, Labels: map[string]int{}}
	old, _ := filepath.Glob(filepath.Join(dir, "features-*.csv"))
	for _, path := range old {
		base := filepath.Base(path)
		if base != FeaturesFile(fp) && base != partialFile(fp) {
			if err := os.Remove(path); err != nil {
				return nil, false, err
			}
			stale = true
		}
	}
	for _, name := range []string{FeaturesFile(fp), partialFile(fp)} {
		if err := c.read(filepath.Join(dir, name)); err != nil {
			return nil, stale, err
		}
	}
	return c, stale, nil
}

// header is the first line of a features file.
func (c *Cache) header() string {
	var b strings.Builder
	b.WriteString("file,digit")
	for i := range c.Len {
		fmt.Fprintf(&b, ",f%d", i+1)
	}
	return b.String()
}

// read adds the rows of path, if it exists. A last line without its newline (the run
// was stopped while writing it) is left out, as is a file whose header differs.
func (c *Cache) read(path string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 2 || lines[0] != c.header() {
		return nil
	}
	for _, line := range lines[1 : len(lines)-1] { // the last is after the final newline
		name, row, digit, ok := c.parse(line)
		if ok {
			c.Rows[name], c.Labels[name] = row, digit
		}
	}
	return nil
}

func (c *Cache) parse(line string) (string, []float64, int, bool) {
	f := strings.Split(line, ",")
	if len(f) != 2+c.Len {
		return "", nil, 0, false
	}
	digit, err := strconv.Atoi(f[1])
	if err != nil {
		return "", nil, 0, false
	}
	row := make([]float64, c.Len)
	for i, s := range f[2:] {
		if row[i], err = strconv.ParseFloat(s, 64); err != nil {
			return "", nil, 0, false
		}
	}
	return f[0], row, digit, true
}

func formatRow(name string, digit int, row []float64) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteString(",")
	b.WriteString(strconv.Itoa(digit))
	for _, v := range row {
		b.WriteString(",")
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	}
	return b.String()
}

// add records one recording's features, appending them to the partial file.
func (c *Cache) add(r Recording, row []float64) error {
	if c.partial == nil {
		// Rewrite the partial file with what it held (its cut last line dropped), then
		// append to it.
		f, err := os.Create(filepath.Join(c.Dir, partialFile(c.FP)))
		if err != nil {
			return err
		}
		c.partial, c.w = f, bufio.NewWriter(f)
		c.w.WriteString(c.header() + "\n")
		for _, name := range c.names() {
			c.w.WriteString(formatRow(name, c.Labels[name], c.Rows[name]) + "\n")
		}
	}
	c.Rows[r.Name], c.Labels[r.Name] = row, r.Digit
	c.w.WriteString(formatRow(r.Name, r.Digit, row) + "\n")
	return c.w.Flush()
}

func (c *Cache) names() []string {
	names := make([]string, 0, len(c.Rows))
	for name := range c.Rows {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Close closes the partial file, which stays for a later run to resume from.
func (c *Cache) Close() error {
	if c.partial == nil {
		return nil
	}
	err := c.partial.Close()
	c.partial = nil
	return err
}

// Complete writes the rows of recs, in their order, to the features file (to a
// temporary name, then renamed) and removes the partial file. It returns the file's path.
// Every one of recs must have its features in the cache.
func (c *Cache) Complete(recs []Recording) (string, error) {
	if err := c.Close(); err != nil {
		return "", err
	}
	path := filepath.Join(c.Dir, FeaturesFile(c.FP))
	err := atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		bw.WriteString(c.header() + "\n")
		for _, r := range recs {
			row, ok := c.Rows[r.Name]
			if !ok {
				return fmt.Errorf("no features for %s", r.Name)
			}
			bw.WriteString(formatRow(r.Name, r.Digit, row) + "\n")
		}
		return bw.Flush()
	})
	if err != nil {
		return "", err
	}
	os.Remove(filepath.Join(c.Dir, partialFile(c.FP)))
	return path, nil
}

// Missing returns those of recs the cache has no features for.
func (c *Cache) Missing(recs []Recording) []Recording {
	var todo []Recording
	for _, r := range recs {
		if _, ok := c.Rows[r.Name]; !ok {
			todo = append(todo, r)
		}
	}
	return todo
}

// Compute extracts the features of recs with workers goroutines (one recording each),
// adding each to the cache as it finishes; done is called after each (from one goroutine
// at a time). The first error stops the others and is returned; so is the context's.
func Compute(ctx context.Context, cfg Config, c *Cache, recs []Recording, workers int, done func(Recording, Cost)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan Recording)
	type result struct {
		r    Recording
		row  []float64
		cost Cost
		err  error
	}
	results := make(chan result)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				row, cost, err := cfg.Extract(ctx, r.Path)
				select {
				case results <- result{r, row, cost, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, r := range recs {
			select {
			case jobs <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	var first error
	for res := range results {
		if first != nil {
			continue
		}
		switch {
		case res.err != nil:
			first = res.err
			cancel()
		default:
			if err := c.add(res.r, res.row); err != nil {
				first = err
				cancel()
			} else if done != nil {
				done(res.r, res.cost)
			}
		}
	}
	if first == nil {
		first = ctx.Err()
	}
	return first
}
