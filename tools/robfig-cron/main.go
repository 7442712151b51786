// Command robfig-cron answers a batch of schedule queries with robfig/cron v3, the library the
// Kubernetes CronJob controller evaluates schedules with (pkg/controller/cronjob/utils.go:
// cron.ParseStandard, then SpecSchedule.Next in the CronJob's time zone). taskstack's tests
// compare their own port of these semantics with this program's answers.
//
// Input (stdin): a JSON array of {"schedule", "timeZone", "from" (RFC 3339), "count", "until"
// (optional, RFC 3339)}.
// Output (stdout): a JSON array, one entry per query, of {"runs": [RFC 3339 UTC...]} or
// {"error": "..."}.
package main

import (
	"encoding/json"
	"os"
	"time"

	"github.com/robfig/cron/v3"
)

type query struct {
	Schedule string `json:"schedule"`
	TimeZone string `json:"timeZone"`
	From     string `json:"from"`
	Count    int    `json:"count"`
	// Until (RFC 3339, optional) stops the list at the first run after it.
	Until string `json:"until,omitempty"`
}

type answer struct {
	Runs  []string `json:"runs,omitempty"`
	Error string   `json:"error,omitempty"`
}

func run(q query) answer {
	loc, err := time.LoadLocation(q.TimeZone)
	if err != nil {
		return answer{Error: err.Error()}
	}
	// As the controller does: the standard five-field parser (macros such as @daily included).
	sched, err := cron.ParseStandard(q.Schedule)
	if err != nil {
		return answer{Error: err.Error()}
	}
	t, err := time.Parse(time.RFC3339, q.From)
	if err != nil {
		return answer{Error: err.Error()}
	}
	var until time.Time
	if q.Until != "" {
		if until, err = time.Parse(time.RFC3339, q.Until); err != nil {
			return answer{Error: err.Error()}
		}
	}
	t = t.In(loc)
	runs := make([]string, 0, q.Count)
	for i := 0; i < q.Count; i++ {
		t = sched.Next(t)
		if t.IsZero() || (!until.IsZero() && t.After(until)) {
			break
		}
		runs = append(runs, t.UTC().Format(time.RFC3339))
	}
	return answer{Runs: runs}
}

func main() {
	var queries []query
	if err := json.NewDecoder(os.Stdin).Decode(&queries); err != nil {
		os.Stderr.WriteString("robfig-cron: expected a JSON array of queries on stdin: " + err.Error() + "\n")
		os.Exit(2)
	}
	answers := make([]answer, len(queries))
	for i, q := range queries {
		answers[i] = run(q)
	}
	if err := json.NewEncoder(os.Stdout).Encode(answers); err != nil {
		os.Exit(1)
	}
}
