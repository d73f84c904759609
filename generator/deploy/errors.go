package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strings"
	"syscall"

	"gocloud.dev/gcerrors"
)

// ErrorKind says what went wrong, in terms a person can act on.
type ErrorKind int

// The kinds of error.
const (
	Other          ErrorKind = iota
	NoSite                   // the output folder is missing or not a drumbeat build
	NoBucket                 // the bucket does not exist
	Credentials              // no credentials, or wrong ones
	Permission               // the credentials may not do this
	Network                  // the bucket could not be reached, or the connection broke
	TooManyDeletes           // more deletes than the cap, without --force
	Canceled                 // interrupted
	Preview                  // the folder is a --drafts preview
)

// Error is a deploy that failed. Hint says what to do.
type Error struct {
	Kind ErrorKind
	Op   string // open, list, upload, delete, plan, read
	Key  string // the file (or, for read, the folder), when there is one
	Err  error
	N    int // TooManyDeletes: the deletes planned that the cap counts
	Max  int // TooManyDeletes: the cap
	// Superseded is, for TooManyDeletes, the older versions of
	// fingerprinted files also planned for deletion, which the cap does
	// not count.
	Superseded int
}

func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	var s string
	switch e.Kind {
	case NoSite:
		s = fmt.Sprintf("%s is not a site built by drumbeat", e.Key)
		if errors.Is(e.Err, fs.ErrNotExist) {
			s = fmt.Sprintf("there is no built site at %s", e.Key)
		}
		return s
	case Preview:
		return fmt.Sprintf("%s is a preview built with --drafts (%v): it shows drafts and held stories, and is never deployed", e.Key, e.Err)
	case NoBucket:
		s = "the bucket does not exist"
	case Credentials:
		s = "the bucket refused the credentials (missing, wrong or expired)"
	case Permission:
		s = "the credentials are not allowed to " + e.verb()
	case Network:
		s = "could not reach the bucket"
		if e.Op == "upload" || e.Op == "delete" {
			s = "the connection to the bucket failed"
		}
	case TooManyDeletes:
		s := fmt.Sprintf("the deploy would delete %d files from the bucket, more than the %d allowed", e.N, e.Max)
		if e.Superseded > 0 {
			s += fmt.Sprintf(" (and %d older versions of fingerprinted files, which the cap does not count)", e.Superseded)
		}
		return s
	case Canceled:
		s = "stopped"
	default:
		s = "could not " + e.verb()
	}
	if e.Key != "" {
		s += " (" + e.verb() + " " + e.Key + ")"
	}
	if e.Err != nil && e.Kind != Canceled {
		s += ": " + short(e.Err)
	}
	return s
}

func (e *Error) verb() string {
	switch e.Op {
	case "open":
		return "open the bucket"
	case "list":
		return "list the bucket's files"
	case "upload":
		return "upload"
	case "delete":
		return "delete"
	}
	return e.Op
}

// Hint says what to do about the error.
func (e *Error) Hint() string {
	switch e.Kind {
	case NoSite:
		return "run drumbeat build first, or pass the built folder with -o DIR"
	case Preview:
		return "build the public site without --drafts (drumbeat build), and deploy that"
	case NoBucket:
		return "check the bucket's name and region in the target's url in site.yaml, or create the bucket first"
	case Credentials:
		return "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, with ~/.aws/credentials) for S3; GOOGLE_APPLICATION_CREDENTIALS or `gcloud auth application-default login` for Google Cloud Storage; AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY for Azure. Credentials never go in site.yaml"
	case Permission:
		return "the key needs permission to list, read, write and delete objects in the bucket (for S3: s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject)"
	case Network:
		return "check the network connection and the target's url (region, endpoint); then run drumbeat deploy again: it uploads only what the bucket is missing"
	case TooManyDeletes:
		return "check that the build is complete and the target is the right one (drumbeat deploy --dry-run lists the files); then pass --force, or --max-deletes N"
	case Canceled:
		return "run drumbeat deploy again to finish: it uploads only what the bucket is missing"
	}
	return "run drumbeat deploy again: it uploads only what the bucket is missing"
}

// classify wraps err, from op on key, in an *Error of the right kind.
func classify(op, key string, err error) error {
	var de *Error
	if errors.As(err, &de) {
		return de
	}
	return &Error{Kind: kindOf(err), Op: op, Key: key, Err: err}
}

// credentialMarkers are in the errors of S3, GCS and Azure about
// credentials that are missing, malformed, wrong or expired.
var credentialMarkers = []string{
	"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "InvalidClientTokenId",
	"AuthorizationHeaderMalformed", "failed to retrieve credentials", "failed to refresh cached credentials", "EC2 IMDS",
	"could not find default credentials", "invalid_grant", "AuthenticationFailed", "NoAuthenticationInformation",
	"InvalidAuthenticationInfo", "static credentials are empty", "get credentials",
}

func kindOf(err error) ErrorKind {
	if errors.Is(err, context.Canceled) {
		return Canceled
	}
	msg := err.Error()
	for _, m := range credentialMarkers {
		if strings.Contains(msg, m) {
			return Credentials
		}
	}
	switch gcerrors.Code(err) {
	case gcerrors.NotFound:
		return NoBucket
	case gcerrors.PermissionDenied:
		return Permission
	}
	if errors.Is(err, fs.ErrNotExist) {
		return NoBucket // a file:// bucket's folder
	}
	// (Not net.Error: *fs.PathError has its methods too.)
	var oe *net.OpError
	var de *net.DNSError
	if errors.As(err, &de) || errors.As(err, &oe) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, context.DeadlineExceeded) {
		return Network
	}
	for _, m := range []string{"connection reset", "connection refused", "broken pipe", "no such host", "i/o timeout", "EOF", "retry quota exceeded", "exceeded maximum number of attempts"} {
		if strings.Contains(msg, m) {
			return Network
		}
	}
	return Other
}

func isNotFound(err error) bool { return gcerrors.Code(err) == gcerrors.NotFound }

// short returns the last, most specific part of a long SDK error.
func short(err error) string {
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
