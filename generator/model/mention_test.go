package model

import (
	"slices"
	"testing"
)

// findSlow is find as it was first written: split the lower-cased text
// into words, then match names word by word.
func findSlow(x *mentionIndex, text []byte) []string {
	words := splitWords(string(text))
	var out []string
	for i, w := range words {
		for _, m := range x.byFirst[w] {
			if i+len(m.words) <= len(words) && slices.Equal(words[i:i+len(m.words)], m.words) {
				if !slices.Contains(out, m.id) {
					out = append(out, m.id)
				}
				break
			}
		}
	}
	return out
}

var mentionPartners = []*Partner{
	{ID: "valley", Name: "Valley Health"},
	{ID: "valley-dept", Name: "Valley Health Department"},
	{ID: "kestrel", Name: "Kestrel Pharmacy & Co"},
	{ID: "sao", Name: "São Bento Clínica"},
	{ID: "parents", Name: "Parents' Circle"},
}

func TestMentionFind(t *testing.T) {
	x := newMentionIndex(mentionPartners)
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"Thanks to the VALLEY HEALTH DEPARTMENT and valley health.", []string{"valley-dept", "valley"}},
		{"Valley, Health", []string{"valley"}},
		{"Valley Healthcare", nil},
		{"kestrel pharmacy & co. said", []string{"kestrel"}},
		{"Kestrel Pharmacy and Co", nil},
		{"with SÃO BENTO CLÍNICA", []string{"sao"}},
		{"the Parents' Circle met", []string{"parents"}},
		{"Valley\xffHealth", []string{"valley"}},
		{"Valley Health Valley Health", []string{"valley"}},
	}
	for _, tc := range tests {
		if got := x.find([]byte(tc.text)); !slices.Equal(got, tc.want) {
			t.Errorf("find(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// FuzzMentionFind checks that find agrees with the word-splitting version
// on any text.
func FuzzMentionFind(f *testing.F) {
	x := newMentionIndex(mentionPartners)
	f.Add("Thanks to the Valley Health Department")
	f.Add("São Bento Clínica & Kestrel Pharmacy & Co")
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := x.find([]byte(text)), findSlow(x, []byte(text)); !slices.Equal(got, want) {
			t.Errorf("find(%q) = %v, want %v", text, got, want)
		}
	})
}
