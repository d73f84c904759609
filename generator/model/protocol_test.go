package model

import "testing"

func TestFingerprintCoversTextAndDeclaredFigures(t *testing.T) {
	base := &Story{Title: "T", Summary: "S", Body: []byte("Body\r\nline  \n")}
	same := &Story{Title: "T", Summary: "S", Body: []byte("Body\nline\n")}
	if base.Fingerprint() != same.Fingerprint() {
		t.Error("line endings and trailing spaces should not change the fingerprint")
	}
	for name, st := range map[string]*Story{
		"title":    {Title: "T2", Summary: "S", Body: base.Body},
		"summary":  {Title: "T", Summary: "S2", Body: base.Body},
		"body":     {Title: "T", Summary: "S", Body: []byte("Body\nline!\n")},
		"declared": {Title: "T", Summary: "S", Body: base.Body, Declared: `{"Investment":{"cash":[{"amount":1}]}}`},
	} {
		if st.Fingerprint() == base.Fingerprint() {
			t.Errorf("a change to the %s should change the fingerprint", name)
		}
	}
	a := &Story{Title: "T", Body: []byte("x"), Declared: `{"amount":1}`}
	b := &Story{Title: "T", Body: []byte("x"), Declared: `{"amount":2}`}
	if a.Fingerprint() == b.Fingerprint() {
		t.Error("changing an ROI story's declared investment must void approvals")
	}
}
