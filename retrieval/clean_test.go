package retrieval

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// The -update flag rewrites golden files. Other test files of the package
// may declare it too, so it is only registered if missing and read lazily.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares got with the file at path, or rewrites it under -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if updateGolden() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCleanGolden runs Clean over testdata/clean/<case>/in.txt (with the
// title in title.txt, if any) and compares with want.txt. Each case holds
// one family of noise and the prose around it.
func TestCleanGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "clean", "*", "in.txt"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, in := range dirs {
		dir := filepath.Dir(in)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var opt CleanOptions
			if b, err := os.ReadFile(filepath.Join(dir, "title.txt")); err == nil {
				opt.Title = strings.TrimSpace(string(b))
			}
			got := Clean(readFile(t, in), opt)
			checkCleanInvariants(t, got)
			golden(t, filepath.Join(dir, "want.txt"), got)
		})
	}
}

// checkCleanInvariants checks the output contract of Clean.
func checkCleanInvariants(t *testing.T, got string) {
	t.Helper()
	if strings.Contains(got, "\u00a0") {
		t.Errorf("output holds a non-breaking space: %q", got)
	}
	if strings.Contains(got, "\n\n\n") {
		t.Errorf("output holds a run of blank lines: %q", got)
	}
	if got == "" {
		return
	}
	for _, p := range strings.Split(got, "\n\n") {
		if p == "" || strings.TrimSpace(p) != p {
			t.Errorf("paragraph %q is empty or has surrounding space", p)
		}
		if strings.Contains(p, "  ") {
			t.Errorf("paragraph %q has a run of spaces", p)
		}
	}
}

// TestCleanRules shows each cleaning rule on a small input; the golden
// cases cover the same rules on longer text.
func TestCleanRules(t *testing.T) {
	const (
		a = "The council approved the budget on Tuesday."
		b = "Repairs will start in March, the mayor said."
	)
	tests := []struct {
		name, in, want string
		opt            CleanOptions
	}{
		{"comment form", a + "\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *", a, CleanOptions{}},
		{"akismet", a + "\n\nThis site uses Akismet to reduce spam. Learn how your comment data is processed.", a, CleanOptions{}},
		{"comment marker cuts the rest", a + " " + b + "\n\nLeave a comment\n\nGreat post, thanks.", a + " " + b, CleanOptions{}},
		{"early comment marker does not cut", "Comments\n\n" + a + "\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"share and like bars", a + "\n\nShare this:\nTwitter\nFacebook\n\nLike this:\nLike Loading...\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"related", a + "\n\nRelated\n\nRead More: Mayor unveils plan\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"click spam", a + "\n\nClick Here: liverpool mens jersey\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"language menu in pairs", a + "\n\nEnglish English Français Français Русский Русский Español Español\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"language menu by name", a + "\n\nDeutsch · Italiano · Português · 日本語\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"podcast promotion", a + "\n\nCity Radio (Podcast) is now available for Alexa. If you don't have an Alexa device, you can download the Alexa App for free.", a, CleanOptions{}},
		{"app promotion", a + "\n\nDownload the City News App\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"subscribe and sign up", a + "\n\nSubscribe now\n\nSign up for our newsletter\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"source link", a + "\n\nSource link", a, CleanOptions{}},
		{"contact byline", a + "\n\nWrite to Dustin Volz at dustin.volz@wsj.com", a, CleanOptions{}},
		{"copyright", a + "\n\nCopyright ©2019 Dow Jones & Company, Inc. All Rights Reserved.", a, CleanOptions{}},
		{"hash line", a + "\n\n87990cbe856818d5eddac44c7b1cdeb8\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"video caption", a + "\n\nWhat comes next for the council. Our reporter explains. (Originally Published December 31, 2019)\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"watch caption", a + "\n\nWatch: the mayor's remarks\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"updated stamp", a + "\n\n—Updated at 1:37 p.m.\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"last updated", a + "\n\nLast updated 2 hours ago\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"advertisement", a + "\n\nAdvertisement\n\n" + b, a + "\n\n" + b, CleanOptions{}},
		{"lone app name after chrome", a + "\n\nCopyright 2020 City News. All rights reserved.\n\nCity News Radio App", a, CleanOptions{}},
		{"hover card", "Mayor Pete ButtigiegPeter (Pete) Paul ButtigiegButtigieg loses cyber chief MORE’s campaign has resigned.", "Mayor Pete Buttigieg’s campaign has resigned.", CleanOptions{}},
		{"camel case kept", "Apple’s iPhone, McDonald’s, YouTube and Gov. Ron DeSantis drew MORE attention.", "Apple’s iPhone, McDonald’s, YouTube and Gov. Ron DeSantis drew MORE attention.", CleanOptions{}},
		{"broken sentence joined", "Experts warned about hacking by operatives of\n\nHillary Clinton’s\n\ncampaign chairman,\n\nJohn Podesta,\n\nin 2016.", "Experts warned about hacking by operatives of Hillary Clinton’s campaign chairman, John Podesta, in 2016.", CleanOptions{}},
		{"quote broken at speaker", "“The threats are more sophisticated, ”\n\nShelby Pierson,\n\nthe adviser, said Tuesday.", "“The threats are more sophisticated,” Shelby Pierson, the adviser, said Tuesday.", CleanOptions{}},
		{"headline not joined", "Council approves budget after long debate\n\n" + a, "Council approves budget after long debate\n\n" + a, CleanOptions{}},
		{"subheading not joined", a + "\n\nWhat comes next\n\n" + b, a + "\n\nWhat comes next\n\n" + b, CleanOptions{}},
		{"spaces", "The\u00a0council\u2009approved  the budget.\u00a0 \t\n\n\n\n\nRepairs start “soon.”\u00a0", "The council approved the budget.\n\nRepairs start “soon.”", CleanOptions{}},
		{"curly quotes kept", "She said it’s “done” — finally.", "She said it’s “done” — finally.", CleanOptions{}},
		{"title repeated", "Budget Passes\n\n" + a, a, CleanOptions{Title: "Budget passes"}},
		{"title repeated with folded quotes", "Mayor’s budget passes\n\n" + a, a, CleanOptions{Title: "Mayor's budget passes"}},
		{"title sentence kept", a + "\n\n" + b, a + "\n\n" + b, CleanOptions{Title: strings.TrimSuffix(a, ".")}},
		{"boilerplate", a + "\n\nFollow City News for more\n\n" + b, a + "\n\n" + b, CleanOptions{Boilerplate: func(k string) bool { return k == "follow city news for more" }}},
		{"blank-line runs", a + "\n\n\n\n\n" + b + "\n\n\n", a + "\n\n" + b, CleanOptions{}},
		{"byline at top", "By Jane Doe\n\n" + a, a, CleanOptions{}},
		{"empty", "", "", CleanOptions{}},
		{"only noise", "Advertisement\n\nShare this:", "", CleanOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Clean(tt.in, tt.opt)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Clean(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			checkCleanInvariants(t, got)
		})
	}
}

// TestNoiseRules checks each noise family on lines it must and must not
// match, so a rule that is removed or made too greedy fails here.
func TestNoiseRules(t *testing.T) {
	tests := []struct {
		rule string
		yes  []string
		no   []string
	}{
		{"comment-form", []string{
			"Leave a Reply", "Leave a Comment", "Post a comment", "12 Comments", "Comments (4)",
			"Your email address will not be published. Required fields are marked *",
			"This site uses Akismet to reduce spam. Learn how your comment data is processed.",
			"Save my name, email, and website in this browser for the next time I comment.",
			"You must be logged in to post a comment.", "Comments are closed.",
		}, []string{"The comments section of the council website drew 400 replies.", "He declined to comment."}},
		{"share-bar", []string{"Share this:", "Like this:", "Like Loading...", "Facebook Twitter LinkedIn Email", "Share on Facebook", "Tweet", "Print"},
			[]string{"Facebook said it would share more data.", "Share prices fell."}},
		{"related", []string{"Related", "Related Articles", "RELATED:", "Read more: Mayor unveils plan", "You may also like", "Most Popular", "See also: the 2019 budget"},
			[]string{"Related costs rose 4 percent.", "Read the full report on the city website, officials said, noting it ran to 300 pages and covered every department."}},
		{"click-spam", []string{"Click Here: liverpool mens jersey", "Click here to subscribe", "Check out: cheap shoes", "Visit here: best deals"},
			[]string{"Clicking here and there, users found the bug.", "Check-out lines were long."}},
		{"language-menu", []string{
			"Shqip Shqip አማርኛ አማርኛ العربية العربية English English Français Français",
			"English | Español | Français | Deutsch",
			"Ελληνικά Ελληνικά Polski Polski Magyar Magyar",
		}, []string{"English and French are official languages of Canada.", "He spoke English, French and German fluently."}},
		{"promotion", []string{
			"National Cyber Security Radio (Podcast) is now available for Alexa. If you don't have an Alexa device, you can download the Alexa App for free for Google and Apple devices.",
			"Download the City News App", "Get our free newsletter", "Subscribe to our newsletter", "Subscribe now", "Sign up for our Morning Briefing",
			"Listen to our podcast on Spotify",
		}, []string{
			"The game is now available for iOS and Android, the company said.",
			"Subscribers lost service for three hours.",
			"The app was downloaded 2 million times in its first week, the company said.",
		}},
		{"source-link", []string{"Source link", "Source", "Original article", "Source: City Wire"},
			[]string{"Source code for the app was leaked on Monday, two people familiar said."}},
		{"contact-byline", []string{"Write to Dustin Volz at dustin.volz@wsj.com", "Contact the reporter at jane@example.org", "jane@example.org", "Follow her on Twitter @janedoe"},
			[]string{"Write-in candidates got 3 percent.", "He wrote to the board on Monday."}},
		{"copyright", []string{"Copyright ©2019 Dow Jones & Company, Inc. All Rights Reserved.", "© 2024 City News", "(c) 2020 Example Inc.", "All rights reserved."},
			[]string{"The copyright lawsuit filed in 2019 is pending."}},
		{"hash", []string{"87990cbe856818d5eddac44c7b1cdeb8", "Tracking id 87990cbe856818d5eddac44c7b1cdeb8"},
			[]string{"deadbeefdeadbeef", "1234567890123456", "The code was 87990cbe."}},
		{"caption", []string{
			"Three big questions are hanging over the race. WSJ’s Gerald F. Seib explains. (Originally Published December 31, 2019)",
			"Video: Council debates budget", "WATCH: the mayor's remarks", "The mayor speaks on Tuesday. (AP Photo/Evan Vucci)",
		}, []string{"The video was published on Tuesday and watched a million times.", "Watching the vote were 200 residents."}},
		{"timestamp", []string{"—Updated at 1:37 p.m.", "Updated at 1:37 p.m.", "Last updated 2 hours ago", "Published 3:45 PM ET, Tue January 14, 2020", "Updated: Jan. 15, 2020", "January 14, 2020 10:02 am"},
			[]string{"Update: The mayor later said she would sign the budget.", "Updated figures show a 3 percent rise.", "Published reports said 2020 was different.", "in 2016."}},
		{"site-chrome", []string{"Advertisement", "ADVERTISEMENT", "Story continues below advertisement", "Skip to content", "Continue reading the main story"},
			[]string{"Advertisement revenue fell 10 percent."}},
		{"tags", []string{"Tags: budget, city council", "Filed under: Politics", "Categories: Local"},
			[]string{"Tags on the luggage were missing."}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			for _, line := range tt.yes {
				if got := noiseKind(line); got != tt.rule {
					t.Errorf("noiseKind(%q) = %q, want %q", line, got, tt.rule)
				}
			}
			for _, line := range tt.no {
				if got := noiseKind(line); got != "" {
					t.Errorf("noiseKind(%q) = %q, want no rule (it is prose)", line, got)
				}
			}
		})
	}
}

func TestRemoveHoverCards(t *testing.T) {
	tests := []struct{ in, want string }{
		{
			"Mayor Pete ButtigiegPeter (Pete) Paul ButtigiegWarren-Sanders fight raises alarm on the left | Buttigieg loses cyber chief MORE’s presidential campaign has resigned.",
			"Mayor Pete Buttigieg’s presidential campaign has resigned.",
		},
		{
			"at the center of President TrumpDonald John TrumpDem lawmaker says Nunes threatened to sue him over criticism MORE’s impeachment proceedings.",
			"at the center of President Trump’s impeachment proceedings.",
		},
		{
			"Leader Mitch McConnellAddison (Mitch) Mitch McConnellSenate sets stage for trial MORE (R-Ky.) said so.",
			"Leader Mitch McConnell (R-Ky.) said so.",
		},
		{
			"Two cards: Hillary ClintonHillary Diane Rodham ClintonPoll: Trump trails MORE’s campaign and President TrumpDonald John TrumpFive takeaways MORE’s team.",
			"Two cards: Hillary Clinton’s campaign and President Trump’s team.",
		},
		{"The iPhone maker sold MORE phones.", "The iPhone maker sold MORE phones."},
		{"YouTube TO BAN MORE VIDEOS.", "YouTube TO BAN MORE VIDEOS."},
		{"McDonald’s and DeSantis, no closing word.", "McDonald’s and DeSantis, no closing word."},
		{"DeSantisRon", "DeSantisRon"},
	}
	for _, tt := range tests {
		if got := removeHoverCards(tt.in); got != tt.want {
			t.Errorf("removeHoverCards(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestCleanSeeds cleans copies of the three scraped seed articles and
// checks that the noise each one shows is gone and its real sentences stay.
func TestCleanSeeds(t *testing.T) {
	tests := []struct {
		file   string
		title  string
		gone   []string
		remain []string
	}{
		{
			file:  "000_59178ff0c7ccd2c5.txt",
			title: "Buttigieg's cybersecurity chief leaves campaign",
			gone: []string{"Peter (Pete) Paul", "Hillicon Valley", "MORE", "Donald John Trump", "Hillary Diane Rodham",
				"Updated at", "Click Here", "liverpool", "Leave a Reply", "email address will not be published"},
			remain: []string{
				"The top cybersecurity official on former South Bend, Ind., Mayor Pete Buttigieg’s presidential campaign has resigned.",
				"at the center of President Trump’s impeachment proceedings.",
				"the chairman of Hillary Clinton’s presidential campaign.",
				"A spokesperson for Buttigieg confirmed that he had resigned and said that the campaign had retained a new security firm.",
				"Federal law enforcement and intelligence officials have warned that foreign actors are poised to try to interfere in this year’s election as well.",
			},
		},
		{
			file:  "001_754a5bd220bec0c6.txt",
			title: "Buttigieg’s CISO resigns, leaving no identified cybersecurity chiefs among the many 2020 candidates",
			gone:  []string{"Leave a Reply", "Akismet", "comment data", "Buttigieg’s CISO resigns"},
			remain: []string{
				"Presidential candidate Pete Buttigieg has misplaced his marketing campaign’s chief info safety officer, citing “variations” with the marketing campaign over its safety practices.",
				"In October, Iran-backed hackers unsuccessfully focused President Trump’s re-election marketing campaign.",
				"Baccio was the one identified staffer to supervise cybersecurity out of all of the presidential campaigns. Information of his departure",
			},
		},
		{
			file:  "002_6979c7e03e56a625.txt",
			title: "The cybersecurity chief for Democratic candidate for president Pete Buttigieg’s campaign has resigned, amid warnings from intelligence officials and cybersecurity experts that presidential campaigns face challenges in thwarting cyberattacks and disinformation campaigns",
			gone: []string{"Originally Published", "Gerald F. Seib", "Write to", "dustin.volz", "Copyright", "Dow Jones",
				"87990cbe", "Source link", "Leave a Reply", "Shqip", "English English", "Consulting App", "Alexa", "Podcast"},
			remain: []string{
				"The cybersecurity chief for Democratic candidate for president Pete Buttigieg’s campaign has resigned, amid warnings",
				"Mick Baccio left his job as chief information security officer for Mr. Buttigieg’s campaign earlier this month",
				"despite the email hacking by Russian operatives of Hillary Clinton’s campaign chairman, John Podesta, in 2016.",
				"“The threats as we go into 2020 are frankly more sophisticated,” Shelby Pierson, the principal adviser on election threats",
				"Mr. Buttigieg, a leading contender for the Democratic nomination, has raised about $76 million since the former South Bend, Ind., mayor entered the crowded race in early 2019.",
				"“We keep the mayor in front of a camera basically all his waking hours,” Mr. Baccio said during the November cybersecurity conference.",
				"an important—and vulnerable—target.",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw := readFile(t, filepath.Join("..", "testdata", "clean", "seeds", tt.file))
			title, body := SplitTitle(raw)
			if title != tt.title {
				t.Errorf("SplitTitle title = %q, want %q", title, tt.title)
			}
			got := Clean(body, CleanOptions{Title: title})
			checkCleanInvariants(t, got)
			for _, s := range tt.gone {
				if strings.Contains(got, s) {
					t.Errorf("cleaned text still holds noise %q", s)
				}
			}
			for _, s := range tt.remain {
				if !strings.Contains(got, s) {
					t.Errorf("cleaned text lost %q", s)
				}
			}
			// Every paragraph of a cleaned news article is a finished sentence.
			for _, p := range strings.Split(got, "\n\n") {
				if !endsSentence(p) {
					t.Errorf("paragraph does not end a sentence: %q", p)
				}
			}
			golden(t, filepath.Join("..", "testdata", "clean", "seeds", strings.TrimSuffix(tt.file, ".txt")+".want"), got)
		})
	}
}

func TestSplitTitle(t *testing.T) {
	tests := []struct {
		name, in, title, body string
	}{
		{"title line", "Budget passes\n\nThe council approved it.\n", "Budget passes", "The council approved it."},
		{"leading blank and chrome lines", "\n\n  \nAdvertisement\n\nBudget passes  \nThe council approved it.", "Budget passes", "The council approved it."},
		{"markdown heading", "# Budget passes #\n\nThe council approved it.", "Budget passes", "The council approved it."},
		{"nbsp in title", "Budget\u00a0passes\n\nText.", "Budget passes", "Text."},
		{
			"sentence broken across lines",
			"The chief for the candidate for mayor\n\nJane Doe’s\n\ncampaign has resigned, officials said. Others stayed.\n\nMore text.",
			"The chief for the candidate for mayor Jane Doe’s campaign has resigned, officials said",
			"The chief for the candidate for mayor\n\nJane Doe’s\n\ncampaign has resigned, officials said. Others stayed.\n\nMore text.",
		},
		{
			"first line is a paragraph",
			"The council approved the budget on Tuesday after a long debate over police funding and road repairs that lasted well into the night, members said. It takes effect in July.\n\nMore text.",
			"The council approved the budget on Tuesday after a long debate over police funding and road repairs that lasted well into the night, members said",
			"The council approved the budget on Tuesday after a long debate over police funding and road repairs that lasted well into the night, members said. It takes effect in July.\n\nMore text.",
		},
		{"abbreviations in first sentence", "Mr. Smith of the U.S. Senate met Gov. Jones on Jan. 3 in the capital and they talked about the budget for an hour, aides said. Then they left.", "Mr. Smith of the U.S. Senate met Gov. Jones on Jan. 3 in the capital and they talked about the budget for an hour, aides said", "Mr. Smith of the U.S. Senate met Gov. Jones on Jan. 3 in the capital and they talked about the budget for an hour, aides said. Then they left."},
		{"empty", "", "", ""},
		{"only blank", "\n \n", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, body := SplitTitle(tt.in)
			if title != tt.title {
				t.Errorf("title = %q, want %q", title, tt.title)
			}
			if body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"it’s ‘quoted’", "it's 'quoted'"},
		{"“double” „low”", `"double" "low"`},
		{"a\u00a0b\u2009c\u202fd\u3000e", "a b c d e"},
		{"2019–2020 — done", "2019-2020 - done"},
		{"plain ASCII stays", "plain ASCII stays"},
		{"Café Ω", "Café Ω"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLineKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Leave a Reply  ", "leave a reply"},
		{"Copyright\u00a0©2019   Dow Jones", "copyright ©2019 dow jones"},
		{"Buttigieg’s “CISO” — out", `buttigieg's "ciso" - out`},
		{"Hash 87990CBE856818d5 #42", "hash 87990cbe856818d5 #42"},
		{"\tTabs\tand\nnewlines ", "tabs and newlines"},
	}
	for _, tt := range tests {
		if got := LineKey(tt.in); got != tt.want {
			t.Errorf("LineKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzClean(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "clean", "*", "in.txt"))
	more, _ := filepath.Glob(filepath.Join("..", "testdata", "clean", "seeds", "*.txt"))
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b), "")
		}
	}
	f.Add("Title\n\nTitle\n\nText MORE", "Title")
	f.Add("aB MORE\u00a0\u00a0\n\n\n", "")
	f.Fuzz(func(t *testing.T, raw, title string) {
		got := Clean(raw, CleanOptions{Title: title, Boilerplate: func(k string) bool { return strings.HasPrefix(k, "zz") }})
		if strings.Contains(got, "\u00a0") {
			t.Fatalf("output holds NBSP: %q", got)
		}
		if strings.Contains(got, "\n\n\n") {
			t.Fatalf("output holds three newlines: %q", got)
		}
		if utf8.ValidString(raw) && !utf8.ValidString(got) {
			t.Fatalf("valid input gave invalid UTF-8: %q", got)
		}
		if got != strings.TrimSpace(got) {
			t.Fatalf("output has surrounding space: %q", got)
		}
		for _, p := range strings.Split(got, "\n\n") {
			if got != "" && (p == "" || strings.TrimSpace(p) != p) {
				t.Fatalf("bad paragraph %q in %q", p, got)
			}
		}
		SplitTitle(raw)
		LineKey(raw)
	})
}

func TestKeyWordsMatchesWordCount(t *testing.T) {
	for _, line := range []string{"", "one", "  Leave a\u00a0Reply  ", "Share this:\tFacebook  Twitter", "Ünïcode — words… here"} {
		k := LineKey(line)
		if keyWords(k) != wordCount(k) {
			t.Errorf("%q: keyWords %d, wordCount %d", k, keyWords(k), wordCount(k))
		}
	}
}

// FuzzLineKey checks the one-pass LineKey against its definition: Fold,
// lowercase, split into words, join with single spaces.
func FuzzLineKey(f *testing.F) {
	for _, s := range []string{"  Leave a Reply  ", "Copyright\u00a0©2019   Dow Jones", "Buttigieg’s “CISO” — out",
		"\tTabs\tand\nnewlines ", "ÀÉÎ\u2003ÕÜ\u0085x", "bad \xff byte", "İstanbul ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		want := strings.Join(strings.Fields(strings.ToLower(Fold(line))), " ")
		if got := LineKey(line); got != want {
			t.Fatalf("LineKey(%q) = %q, want %q", line, got, want)
		}
	})
}
