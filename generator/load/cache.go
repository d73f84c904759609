package load

import (
	"strconv"
	"strings"

	"github.com/drumbeat/drumbeat/generator/diag"
	"github.com/drumbeat/drumbeat/generator/model"
)

// defaultCacheDays is how many days an image cache entry no build used
// stays when cache.max_age is left out.
const defaultCacheDays = 90

// maxCacheDays bounds cache.max_age (about 27 years: beyond, say never).
const maxCacheDays = 10000

// checkCache checks site.yaml's cache: block and sets Days.
func checkCache(cc *model.CacheConf, at diag.Pos, errs *diag.List) {
	cc.Days = defaultCacheDays
	if _, ok := cc.Lines["max_age"]; !ok {
		return
	}
	v := strings.TrimSpace(cc.MaxAge)
	n, err := strconv.Atoi(strings.TrimSuffix(v, "d"))
	if !strings.HasSuffix(v, "d") || err != nil || n < 1 || n > maxCacheDays {
		errs.Errorf(linePos(cc.Lines, "max_age", at), "cache.max_age %q is not a number of days like 90d", truncate(v, 40)).
			WithHint("how long an image cache entry no build used is kept, from 1d to %dd; leave it out for %dd", maxCacheDays, defaultCacheDays)
		return
	}
	cc.Days = n
}
