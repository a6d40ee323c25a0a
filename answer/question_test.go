package answer

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/storybot/storybot/retrieval"
)

func TestAnalyzeKinds(t *testing.T) {
	th := retrieval.NewThesaurus()
	tests := []struct {
		q     string
		kinds []Kind
		texts []string
	}{
		{"Who replaced the CFO?", []Kind{Who}, []string{"who replaced the CFO"}},
		{"Who is Jane Doe?", []Kind{Definition}, []string{"who Jane Doe is"}},
		{"Who is the Northgate spokesperson?", []Kind{Who}, []string{"who the Northgate spokesperson is"}},
		{"When did the strike end?", []Kind{When}, []string{"when the strike ended"}},
		{"What year was the bridge built?", []Kind{When}, []string{"what year the bridge was built"}},
		{"Where did the fire start?", []Kind{Where}, []string{"where the fire started"}},
		{"How many people were hurt?", []Kind{HowMany}, []string{"how many people were hurt"}},
		{"How much did the city pay?", []Kind{HowMuch}, []string{"how much the city paid"}},
		{"How long did the trial last?", []Kind{HowLong}, []string{"how long the trial lasted"}},
		{"Why did the senator resign?", []Kind{Why}, []string{"why the senator resigned"}},
		{"What did the governor say about the vote?", []Kind{Say}, []string{"what the governor said about the vote"}},
		{"How did the union respond?", []Kind{Say}, []string{"how the union responded"}},
		{"Did the company apologise?", []Kind{YesNo}, []string{"whether the company apologised"}},
		{"What is the budget for schools?", []Kind{HowMuch}, []string{"what the budget for schools is"}},
		{"What was Cobalt's closing price on Tuesday?", []Kind{HowMuch}, []string{"what Cobalt's closing price on Tuesday was"}},
		{"What is the plan for schools?", []Kind{What}, []string{"what the plan for schools is"}},
		{"What share of the vote did she win?", []Kind{What}, []string{"what share of the vote she won"}},
		{"What was the turnout in Ashby?", []Kind{HowMuch}, []string{"what the turnout in Ashby was"}},
		{"What price did the city pay?", []Kind{HowMuch}, []string{"what price the city paid"}},
		{"What happened to the sales tax plan?", []Kind{What}, []string{"what happened to the sales tax plan"}},
		{"Who replaced Baker, and why did he resign?", []Kind{Who, Why}, []string{"who replaced Baker", "why he resigned"}},
		{"Who won the race; how many votes did she get?", []Kind{Who, HowMany}, []string{"who won the race", "how many votes she got"}},
		{"When and where did the crash happen?", []Kind{When, Where}, []string{"when the crash happened", "where the crash happened"}},
		{"Tom and Jerry met when?", []Kind{What}, []string{"Tom and Jerry met when"}},
		// Indirect wording, for "the sources do not say …".
		{"Where was the semifinal played?", []Kind{Where}, []string{"where the semifinal was played"}},
		{"When will the final be played?", []Kind{When}, []string{"when the final will be played"}},
		{"Why was the ward not reopened?", []Kind{Why}, []string{"why the ward was not reopened"}},
		{"Was a ransom demanded?", []Kind{YesNo}, []string{"whether a ransom was demanded"}},
		{"Has the money been recovered?", []Kind{YesNo}, []string{"whether the money has been recovered"}},
		{"How many jobs is Kestrel cutting?", []Kind{HowMany}, []string{"how many jobs Kestrel is cutting"}},
		{"Who was convicted of fraud?", []Kind{Who}, []string{"who was convicted of fraud"}},
		{"How many people were hurt in the crash?", []Kind{HowMany}, []string{"how many people were hurt in the crash"}},
		{"Who is the acting mayor?", []Kind{Who}, []string{"who the acting mayor is"}},
		{"Who is buying Arbor?", []Kind{Who}, []string{"who is buying Arbor"}},
		{"How much is the deal worth?", []Kind{HowMuch}, []string{"how much the deal is worth"}},
		{"Will Mendes sue?", []Kind{YesNo}, []string{"whether Mendes will sue"}},
		{"What will she do next?", []Kind{What}, []string{"what she will do next"}},
		{"How long was Lindgren trade minister?", []Kind{HowLong}, []string{"how long Lindgren was trade minister"}},
		{"How effective is the vaccine?", []Kind{HowMuch}, []string{"how effective the vaccine is"}},
		{"Was anyone in the warehouse?", []Kind{YesNo}, []string{"whether anyone was in the warehouse"}},
		{"Who is most affected by the flu?", []Kind{Who}, []string{"who is most affected by the flu"}},
		{"When will Lindqvist step down?", []Kind{When}, []string{"when Lindqvist will step down"}},
		{"Where is Price from?", []Kind{Where}, []string{"where Price is from"}},
		{"Tell me about the Corvane breach", []Kind{What}, []string{"anything about the Corvane breach"}},
		{"What's the latest on the bridge collapse?", []Kind{What}, []string{"anything about the bridge collapse"}},
		{"Any news on the Ashby fire?", []Kind{What}, []string{"anything about the Ashby fire"}},
		{"How many suspects are still being sought?", []Kind{HowMany}, []string{"how many suspects are still being sought"}},
		{"What did Ruiz die of?", []Kind{Why}, []string{"what Ruiz died of"}},
		{"How old is Brandt?", []Kind{HowMuch}, []string{"how old Brandt is"}},
		{"When will the ward close?", []Kind{When}, []string{"when the ward will close"}},
		{"Is the scheme fully funded?", []Kind{YesNo}, []string{"whether the scheme is fully funded"}},
		{"Was the family rehoused?", []Kind{YesNo}, []string{"whether the family was rehoused"}},
		{"What will happen to the school building?", []Kind{What}, []string{"what will happen to the school building"}},
		{"Who will pay for the repairs?", []Kind{Who}, []string{"who will pay for the repairs"}},
		{"Who would fund the scheme?", []Kind{Who}, []string{"who would fund the scheme"}},
		{"What will councillors decide?", []Kind{What}, []string{"what councillors will decide"}},
		{"Is the bridge safe?", []Kind{YesNo}, []string{"whether the bridge is safe"}},
		{"Is Okafor the new mayor?", []Kind{YesNo}, []string{"whether Okafor is the new mayor"}},
		{"Is the mayor a Democrat?", []Kind{YesNo}, []string{"whether the mayor is a Democrat"}},
		// Do-support gives its tense to the verb after the subject.
		{"When did the chlorine leak start?", []Kind{When}, []string{"when the chlorine leak started"}},
		{"Does the company plan to notify customers?", []Kind{YesNo}, []string{"whether the company plans to notify customers"}},
		{"Where do the Gulls play now?", []Kind{Where}, []string{"where the Gulls play now"}},
		{"How many employees did Quillpay lay off?", []Kind{HowMany}, []string{"how many employees Quillpay laid off"}},
		{"Did the storm cause damage?", []Kind{YesNo}, []string{"whether the storm caused damage"}},
		{"Why did the mayor not attend?", []Kind{Why}, []string{"why the mayor did not attend"}},
		{"When did the company rebrand?", []Kind{When}, []string{"when the company rebranded"}},
		{"Did the court fine Kestrel?", []Kind{YesNo}, []string{"whether the court fined Kestrel"}},
		{"What did Osei's lawyer say?", []Kind{Say}, []string{"what Osei's lawyer said"}},
		{"When did the Harbor City council approve the stadium?", []Kind{When}, []string{"when the Harbor City council approved the stadium"}},
		{"Did the price of oil rise?", []Kind{YesNo}, []string{"whether the price of oil rose"}},
		{"Did the team stop play?", []Kind{YesNo}, []string{"whether the team stopped play"}},
		{"When does the new law take effect?", []Kind{When}, []string{"when the new law takes effect"}},
		{"Did voters approve the bond?", []Kind{YesNo}, []string{"whether voters approved the bond"}},
		{"Did the storm damage homes?", []Kind{YesNo}, []string{"whether the storm damaged homes"}},
		{"Did the mayor of Ashby resign?", []Kind{YesNo}, []string{"whether the mayor of Ashby resigned"}},
		{"How many measles cases are there in Brant County?", []Kind{HowMany}, []string{"how many measles cases there are in Brant County"}},
		{"Were there any deaths?", []Kind{YesNo}, []string{"whether there were any deaths"}},
		{"When was St. Anne's built?", []Kind{When}, []string{"when St. Anne's was built"}},
		{"When will SkyNorth's operations return to normal?", []Kind{When}, []string{"when SkyNorth's operations will return to normal"}},
		{"Why was attendance so high?", []Kind{Why}, []string{"why attendance was so high"}},
		{"How old was the man killed in the storm?", []Kind{HowMuch}, []string{"how old the man killed in the storm was"}},
		{"How long was the bridge closed?", []Kind{HowLong}, []string{"how long the bridge was closed"}},
		{"What is the condition of the man who was shot?", []Kind{What}, []string{"what the condition of the man who was shot is"}},
		{"When did Aldmoor prices last fall?", []Kind{When}, []string{"when Aldmoor prices last fell"}},
		{"When did the library first open?", []Kind{When}, []string{"when the library first opened"}},
		{"Why did Aldmoor home sales drop?", []Kind{Why}, []string{"why Aldmoor home sales dropped"}},
		{"When was the pipe due to be replaced?", []Kind{When}, []string{"when the pipe was due to be replaced"}},
		{"Why are the workers angry?", []Kind{Why}, []string{"why the workers are angry"}},
		{"When is the ward expected to close?", []Kind{When}, []string{"when the ward is expected to close"}},
		{"How much did Brandt embezzle?", []Kind{HowMuch}, []string{"how much Brandt embezzled"}},
		{"Did Martin Greer divert donations?", []Kind{YesNo}, []string{"whether Martin Greer diverted donations"}},
		{"Is Brightwing ending service to Tarrow?", []Kind{YesNo}, []string{"whether Brightwing is ending service to Tarrow"}},
		{"Is the bridge in danger of collapsing?", []Kind{YesNo}, []string{"whether the bridge is in danger of collapsing"}},
		{"By how much did Okafor win?", []Kind{HowMuch}, []string{"how much Okafor won by"}},
		{"When does the state grant run out?", []Kind{When}, []string{"when the state grant runs out"}},
		{"When was Castellan last penalized?", []Kind{When}, []string{"when Castellan was last penalized"}},
		{"For how long was the bridge closed?", []Kind{HowLong}, []string{"for how long the bridge was closed"}},
		{"At what point did the talks collapse?", []Kind{What}, []string{"at what point the talks collapsed"}},
		{"In which year did the company open its first store?", []Kind{When}, []string{"in which year the company opened its first store"}},
		{"Where are the Kestrels in the league?", []Kind{Where}, []string{"where the Kestrels are in the league"}},
		{"What is the Carrow Gallery?", []Kind{Definition}, []string{"what the Carrow Gallery is"}},
		{"What is the gallery's budget?", []Kind{HowMuch}, []string{"what the gallery's budget is"}},
		{"What pay rise did the hospital offer?", []Kind{HowMuch}, []string{"what pay rise the hospital offered"}},
		{"How much will the tax rise cost a typical homeowner?", []Kind{HowMuch}, []string{"how much the tax rise will cost a typical homeowner"}},
		{"How long is the social housing waiting list?", []Kind{HowLong}, []string{"how long the social housing waiting list is"}},
		{"Is the council funding the new school?", []Kind{YesNo}, []string{"whether the council is funding the new school"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			q := Analyze(tt.q, th)
			var kinds []Kind
			var texts []string
			for _, p := range q.Parts {
				kinds = append(kinds, p.Kind)
				texts = append(texts, p.Text)
			}
			if diff := cmp.Diff(tt.kinds, kinds); diff != "" {
				t.Errorf("kinds (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.texts, texts); diff != "" {
				t.Errorf("texts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAnalyzeConcepts(t *testing.T) {
	th := retrieval.NewThesaurus()
	labels := func(p Part) []string {
		var out []string
		for _, c := range p.Concepts {
			out = append(out, c.Label)
		}
		return out
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"Who replaced the CISO?", []string{"replaced", "CISO"}},
		{"Who took over from Jane Doe?", []string{"took over", "Jane Doe"}},
		{"How many employees does the firm have?", []string{"employees", "firm"}},
		{"When did Maria Lopez speak at the summit?", []string{"Maria Lopez", "speak", "summit"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := labels(Analyze(tt.q, th).Parts[0])
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("concepts (-want +got):\n%s", diff)
			}
		})
	}
	// The thesaurus makes "took over" and "replaced" one concept.
	q := Analyze("Who took over from Jane Doe?", th)
	found := false
	for _, alt := range q.Parts[0].Concepts[0].Alts {
		if len(alt) == 1 && alt[0] == retrieval.Term("replace") {
			found = true
		}
	}
	if !found {
		t.Errorf("took over not expanded to replace: %v", q.Parts[0].Concepts[0].Alts)
	}
	// A name keeps its surname as an alternative.
	c := Analyze("Who is Jane Doe?", th).Parts[0].Concepts[0]
	if !c.Name || len(c.Alts) != 2 {
		t.Errorf("name concept = %+v", c)
	}
}

func TestFollowUpCarriesNames(t *testing.T) {
	th := retrieval.NewThesaurus()
	q := FollowUp(Analyze("and when did he leave?", th), []string{"Who is Jane Doe?"}, th)
	if len(q.Parts[0].Context) == 0 || q.Parts[0].Context[0].Label != "Jane Doe" {
		t.Fatalf("follow-up lost the subject: %+v", q.Parts[0].Context)
	}
}

func TestInflect(t *testing.T) {
	past := map[string]string{"stop": "stopped", "plan": "planned", "visit": "visited", "admit": "admitted",
		"apply": "applied", "play": "played", "close": "closed", "go": "went", "lay": "laid", "open": "opened",
		"rebrand": "rebranded", "fix": "fixed", "pay": "paid", "quit": "quit"}
	for base, want := range past {
		if got := pastTense(base); got != want {
			t.Errorf("pastTense(%q) = %q, want %q", base, got, want)
		}
	}
	third := map[string]string{"plan": "plans", "fix": "fixes", "watch": "watches", "carry": "carries",
		"have": "has", "go": "goes", "pay": "pays", "push": "pushes"}
	for base, want := range third {
		if got := thirdPerson(base); got != want {
			t.Errorf("thirdPerson(%q) = %q, want %q", base, got, want)
		}
	}
}

func TestVerbSynonymsOnlyForVerbs(t *testing.T) {
	th := retrieval.NewThesaurus()
	alts := func(q, label string) [][]string {
		for _, p := range Analyze(q, th).Parts {
			for _, c := range p.Concepts {
				if c.Label == label {
					return c.Alts
				}
			}
		}
		t.Fatalf("%q: no concept %q", q, label)
		return nil
	}
	if a := alts("Why did the council fire the manager?", "fire"); len(a) < 2 {
		t.Errorf("the verb fire lost its synonyms: %v", a)
	}
	if a := alts("Why did Crowe set the fires?", "fires"); len(a) != 1 {
		t.Errorf("the noun fires took the verb's synonyms: %v", a)
	}
	if a := alts("How much is the painting worth?", "worth"); len(a) < 2 {
		t.Errorf("worth has no synonyms: %v", a)
	}
}

// TestQuestionPhraseWithOfIsTheSubject checks that "what share of the
// population is Latino" is restated as it stands: the question phrase is
// the subject, and nothing is inverted.
func TestQuestionPhraseWithOfIsTheSubject(t *testing.T) {
	th := retrieval.NewThesaurus()
	for q, want := range map[string]string{
		"What share of the population is Latino?":    "what share of the population is Latino",
		"What proportion of the budget is borrowed?": "what proportion of the budget is borrowed",
		"What share of the vote did Labour win?":     "what share of the vote Labour won",
	} {
		if got := Analyze(q, th).Parts[0].Text; got != want {
			t.Errorf("%q restated %q, want %q", q, got, want)
		}
	}
}
