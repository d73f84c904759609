package email

import (
	"bytes"
	"fmt"
	"strings"
)

// Service is a list manager an issue can be handed to.
type Service string

// The list managers an issue can be exported for.
const (
	Listmonk  Service = "listmonk"
	Mailchimp Service = "mailchimp"
	Plain     Service = "plain" // the archive's copy: no tags at all
)

// Services lists the services in the order the help names them.
var Services = []Service{Listmonk, Mailchimp, Plain}

// serviceTags is how a service writes what differs between readers.
type serviceTags struct {
	unsubscribe string
	// greeting writes the greeting with the reader's name, or the
	// fallback without one: the service's own conditional.
	greeting func(greeting, fallback string) string
	// escape makes literal text safe from the service's template syntax.
	escape func(s string) string
}

var tagsOf = map[Service]serviceTags{
	// Listmonk's templates are Go templates: a literal "{{" is written as
	// an action that prints it.
	Listmonk: {
		unsubscribe: "{{ UnsubscribeURL }}",
		greeting: func(g, fb string) string {
			before, after, _ := strings.Cut(g, "{name}")
			return `{{ if .Subscriber.Name }}` + before + `{{ .Subscriber.Name }}` + after + `{{ else }}` + fb + `{{ end }}`
		},
		escape: func(s string) string { return strings.ReplaceAll(s, "{{", `{{ "{{" }}`) },
	},
	// Mailchimp's merge tags are *|TAG|*; "{{" means nothing to them.
	Mailchimp: {
		unsubscribe: "*|UNSUB|*",
		greeting: func(g, fb string) string {
			before, after, _ := strings.Cut(g, "{name}")
			return `*|IF:FNAME|*` + before + `*|FNAME|*` + after + `*|ELSE:|*` + fb + `*|END:IF|*`
		},
		escape: func(s string) string { return s },
	},
}

// Export returns the message's text and HTML for a list manager: the
// service's own unsubscribe and name tags in place of drumbeat's, and
// literal template syntax in the content escaped for it. For Plain it is
// the archive's copy. The message must have been personalised with
// ExportMarks.
func (m *Message) Export(s Service) (text, html []byte, err error) {
	if s == Plain {
		return m.Text, m.HTML, nil
	}
	tags, ok := tagsOf[s]
	if !ok {
		return nil, nil, fmt.Errorf("%q is not listmonk, mailchimp or plain", s)
	}
	if m.markedHTML == nil || m.unsubscribe == "" {
		return nil, nil, fmt.Errorf("the message has no place for the service's unsubscribe tag")
	}
	text = []byte(tags.escape(string(m.markedText)))
	html = []byte(tags.escape(string(m.markedHTML)))
	// The tags go in as they are: the service fills them in (and escapes
	// the name it puts in).
	text = bytes.Replace(text, []byte(UnsubscribeMark), []byte(tags.unsubscribe), 1)
	html = bytes.Replace(html, []byte(UnsubscribeMark), []byte(tags.unsubscribe), 1)
	if m.greeting != "" {
		textG := tags.greeting(tags.escape(m.greeting), tags.escape(m.fallback))
		htmlG := tags.greeting(tags.escape(escapeHTML(m.greeting)), tags.escape(escapeHTML(m.fallback)))
		text = bytes.Replace(text, []byte(GreetingMark), []byte(textG), 1)
		html = bytes.Replace(html, []byte(GreetingMark), []byte(htmlG), 1)
	}
	return text, html, nil
}
