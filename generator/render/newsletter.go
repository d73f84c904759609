package render

// NewsletterView is a newsletter issue or the archive, for the theme.
type NewsletterView struct{}

// newsletterJobs adds the jobs that render the newsletter: each issue's web
// page, email HTML, plain text and .eml, the archive and the feeds.
func (r *renderer) newsletterJobs(add func(func() error)) {}
