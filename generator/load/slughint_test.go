package load

import "testing"

// TestIDHints checks the examples the errors of invalid ids give: ASCII
// (partner, deploy target and metric ids may use nothing else), accents
// folded, and a valid id even when nothing of what was written is ASCII.
func TestIDHints(t *testing.T) {
	for _, tt := range []struct{ id, hint, metric string }{
		{"Lakeside Clinic", `for example "lakeside-clinic"`, "lakeside_clinic"},
		{"Santé Clinic", `for example "sante-clinic"`, "sante_clinic"},
		{"Doses (Über 60)", `for example "doses-uber-60"`, "doses_uber_60"},
		{"健康 clinic", `for example "clinic"`, "clinic"},
		{"健康", `for example "lakeside-clinic"`, "m"},
		{"2 doses", `for example "2-doses"`, "m_2_doses"},
		{"🌍", `for example "lakeside-clinic"`, "m"},
	} {
		if got := idHint(tt.id); got != tt.hint {
			t.Errorf("idHint(%q) = %s, want %s", tt.id, got, tt.hint)
		}
		got := metricIDHint(tt.id)
		if got != tt.metric || !metricIDRE.MatchString(got) {
			t.Errorf("metricIDHint(%q) = %q, want %q (a valid metric id)", tt.id, got, tt.metric)
		}
		if ex := tt.hint[len(`for example "`) : len(tt.hint)-1]; !idRE.MatchString(ex) {
			t.Errorf("idHint(%q) suggests %q, not a valid id", tt.id, ex)
		}
	}
}
