package render

// briefingJobs adds the jobs that render the executive briefing.
func (r *renderer) briefingJobs(add func(func() error)) {}
