package parser

import (
	"errors"
	"math"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0", 0, true},
		{"1", 1, true},
		{"-3", -3, true},
		{"+2", 2, true},
		{".5", 0.5, true},
		{"5.", 5, true},
		{"-.5", -0.5, true},
		{"+.5e-3", 0.5e-3, true},
		{"1.5", 1.5, true},
		{"1e-3", 1e-3, true},
		{"1.5E6", 1.5e6, true},
		{"1e+3", 1e3, true},
		{"2.2e-12", 2.2e-12, true},
		{"1f", 1e-15, true},
		{"1F", 1e-15, true},
		{"1p", 1e-12, true},
		{"10pF", 10e-12, true},
		{"1n", 1e-9, true},
		{"1ns", 1e-9, true},
		{"1u", 1e-6, true},
		{"1uS", 1e-6, true},
		{"2.2uH", 2.2e-6, true},
		{"4.7u", 4.7e-6, true},
		{"2µ", 2e-6, true},  // the micro sign, as ngspice 39 reads it (measured)
		{"1µF", 1e-6, true}, // a unit after it
		{"5µA", 5e-6, true}, //
		{"2kµ", 2e3, true},  // a unit letter: the first letter scales
		{"2µ2", 0, false},   // not RKM
		{"1m", 1e-3, true},
		{"1M", 1e-3, true},
		{"250M", 250e-3, true},
		{"1mA", 1e-3, true},
		{"1ms", 1e-3, true},
		{"1k", 1e3, true},
		{"1K", 1e3, true},
		{"1kOhm", 1e3, true},
		{"10k", 10e3, true},
		{"1meg", 1e6, true},
		{"1MEG", 1e6, true},
		{"1Meg", 1e6, true},
		{"1megohm", 1e6, true},
		{"5meg", 5e6, true},
		{"10ghz", 10e9, true},
		{"1g", 1e9, true},
		{"1G", 1e9, true},
		{"1t", 1e12, true},
		{"1T", 1e12, true},
		{"1mil", 25.4e-6, true},
		{"2MIL", 50.8e-6, true},
		{"5V", 5, true},
		{"10Hz", 10, true},
		{"1A", 1, true},
		{"3s", 3, true},
		{"1e", 1, true}, // e without digits is a unit letter
		{"1e3k", 1e6, true},
		{"1.5e-3meg", 1.5e3, true},
		{"0Hz", 0, true},
		{"-15", -15, true},
		{"2.0833333333333e-05", 2.0833333333333e-05, true},
		{"1e-400", 0, true}, // underflow is zero
		{"1e308", 1e308, true},
		{"1e400", 0, false},
		{"1e308k", 0, false},
		{"1e99999999999999999999999", 0, false},
		{"0e99999999999999999999999", 0, true},
		{"1e-99999999999999999999999", 0, true},
		{"", 0, false},
		{"+", 0, false},
		{"-", 0, false},
		{".", 0, false},
		{"e3", 0, false},
		{"k", 0, false},
		{"abc", 0, false},
		{"1.2.3", 0, false},
		{"1n4002", 0, false}, // a model name, not 1n
		{"2sk456", 0, false},
		{"4k7", 0, false}, // RKM notation is not read
		{"1e+", 0, false},
		{"1-2", 0, false},
		{"1_000", 0, false},
		{"--1", 0, false},
		{"1k ", 0, false},
		{"v(1)", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseNumber(tc.in)
		if ok != tc.ok {
			t.Errorf("ParseNumber(%q) ok = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if ok && got != tc.want && math.Abs(got-tc.want) > 1e-15*math.Abs(tc.want) {
			t.Errorf("ParseNumber(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestParseNumberExact(t *testing.T) {
	// The scale is applied to the decimal exponent, so values are correctly rounded.
	for in, want := range map[string]float64{"4.7u": 4.7e-6, "0.1u": 1e-7, "3.3n": 3.3e-9, "2.2k": 2200, "0.3ns": 0.3e-9} {
		if got, _ := ParseNumber(in); got != want {
			t.Errorf("ParseNumber(%q) = %v, want exactly %v", in, got, want)
		}
	}
}

func TestParseNumberRange(t *testing.T) {
	if _, err := parseNumber("1e400"); err != errNumberRange {
		t.Errorf("1e400: got %v, want %v", err, errNumberRange)
	}
	if _, err := parseNumber("abc"); err != errNotNumber {
		t.Errorf("abc: got %v, want %v", err, errNotNumber)
	}
}

// TestNumberCache: the cache gives what parseNumber gives, value and error, over
// spellings that repeat, alternate, fail and are empty.
func TestNumberCache(t *testing.T) {
	var c numberCache
	seq := []string{"10", "10", "10f", "10", "10f", "1e400", "10f", "", "x", "1k", "10", "1k", "1K", "", "2.5meg", "10f"}
	for i, s := range seq {
		got, gotErr := c.parse(s)
		want, wantErr := parseNumber(s)
		if math.Float64bits(got) != math.Float64bits(want) || !errors.Is(gotErr, wantErr) || (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%d: %q: got %v, %v; want %v, %v", i, s, got, gotErr, want, wantErr)
		}
	}
	if c.spelling != [2]string{"10f", "2.5meg"} {
		t.Errorf("the cache holds %q, want the last two numbers read", c.spelling)
	}
}
