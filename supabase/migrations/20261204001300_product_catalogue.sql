-- The shipped product catalogue: the core workflow definitions (org_id null), their first
-- versions with steps, and the core saved actions. Data only.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.

-- Product data: the workflow catalogue every organisation starts with — the 16 core
-- workflow definitions (global rows, org_id null) with their first version, the chat
-- branches of every step, and the six core saved actions.
--
-- Why a migration and not seed.sql: `supabase db push` to a hosted project applies
-- migrations only, and an engine without its catalogue opens nothing. seed.sql keeps demo
-- organisations, people and customers (docs/demo-data.md).
--
-- Idempotent: a database that got these rows from the earlier seed keeps them; each
-- insert adds only what is missing (keyed by workflow key, version 1, a version's
-- branches, and the action key).

-- ---------------------------------------------------------------------------------------
-- 1. The workflow catalogue: the 16 core workflow definitions (global, org_id null), their
--    first version with ordered steps, the chat branches of every step, and the six core
--    saved actions.
--
-- The catalogue is written as one JSON document so a reader sees a whole workflow at a
-- glance. Prompt templates use {{dot.path}} placeholders into the customer context of
-- get_customer_context (customer, intelligence, data.financials, data.usage,
-- data.engagement, workflow, account_team); the chat layer fills them in, and a
-- placeholder without data renders as "unknown" rather than an invented value.
--
-- Step types: review (read the account), analysis (judge something), draft (produce a
-- document), meeting (talk to people), action (do something in a system), outcome
-- (record what happened). Every step also gets two generic branches, added below the
-- document: a `rag` chat over the customer's history and the `skip` saved action.
-- ---------------------------------------------------------------------------------------

create temporary table seed_catalogue (doc jsonb not null);

insert into seed_catalogue (doc) values ($catalogue$
[
 {"key": "overdue", "name": "Overdue Stage", "type": "renewal", "base_score": 100,
  "trigger": {"kind": "renewal_stage", "stage": "Overdue"},
  "description": "The renewal date has passed without a signed renewal. Find out why, recover the contract or record the churn.",
  "steps": [
   {"key": "confirm-status", "title": "Confirm where the renewal stands", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "The renewal of {{customer.name}} was due on {{customer.renewal_date}}, {{workflow.days_until_renewal}} days from today, and is not signed. ARR at stake: {{customer.arr}}. Using the engagement history ({{data.engagement}}), open support tickets and the contract, summarise in five bullet points why the renewal is late and who can unblock it.",
    "branches": [
     {"key": "with-legal", "label": "It is signed in principle, stuck with procurement or legal", "type": "fixed",
      "response_text": "Then this is a paperwork recovery: get a named contact in procurement, a date, and keep the service running. Moving on to the recovery plan.",
      "next_step_key": "recovery-plan"},
     {"key": "why-late", "label": "Help me work out why it is late", "type": "llm", "allow_off_script": true,
      "prompt_template": "Ask the CSM what they know about the delay of {{customer.name}}'s renewal and reason with them about the most likely cause: budget, champion left, product gaps, competitor, or process."},
     {"key": "escalate-now", "label": "Escalate to my manager now", "type": "saved_action",
      "saved_action_key": "escalate", "return_step_key": "confirm-status", "config": {"defaults": {"level": "manager"}}}
    ]},
   {"key": "recovery-plan", "title": "Agree a recovery plan", "type": "analysis",
    "artifact_types": ["assessment", "action_plan"],
    "prompt_template": "{{customer.name}} is overdue on a renewal worth {{customer.arr}} (health {{customer.health_score}}, risk {{intelligence.risk_score}}, plan {{customer.account_plan}}). Propose a recovery plan with owners and dates: who to call, what concession (if any) is acceptable, and the date after which we treat the account as churned.",
    "branches": [
     {"key": "draft-plan", "label": "Draft the recovery plan with me", "type": "llm", "allow_off_script": true,
      "prompt_template": "Draft a dated, owner-by-owner recovery plan for the overdue renewal of {{customer.name}}. Keep it to what the CSM, the account executive ({{account_team.account_executive}}) and the manager can actually do this week."},
     {"key": "no-concession", "label": "No concessions: the standard renewal stands", "type": "fixed",
      "response_text": "Noted: the offer is the standard renewal. The outreach will restate it and ask for a signature date.",
      "next_step_key": "draft-outreach"}
    ]},
   {"key": "draft-outreach", "title": "Write to the decision maker", "type": "draft",
    "artifact_types": ["email_draft"],
    "prompt_template": "Write a short, direct email from {{account_team.csm}} to the decision maker at {{customer.name}} ({{account_team.stakeholders}}). State that the renewal date {{customer.renewal_date}} has passed, what continued service depends on, and propose two times for a call this week. No threats, no discounts unless the recovery plan says so.",
    "branches": [
     {"key": "write-email", "label": "Draft the email", "type": "llm",
      "prompt_template": "Draft the overdue-renewal email to {{customer.name}}'s decision maker as an email_draft artifact. Plain text, under 150 words."},
     {"key": "send-email", "label": "Send the approved draft", "type": "saved_action",
      "saved_action_key": "send_email", "return_step_key": "executive-call"}
    ]},
   {"key": "executive-call", "title": "Hold the recovery call", "type": "meeting",
    "artifact_types": ["meeting_notes"],
    "prompt_template": "Prepare the CSM for a recovery call with {{customer.name}}: the three questions to ask, the facts to have at hand (ARR {{customer.arr}}, usage {{data.usage}}, open tickets), and the decision we need by the end of the call. Afterwards, turn their notes into meeting notes.",
    "branches": [
     {"key": "book-call", "label": "Book the call", "type": "saved_action",
      "saved_action_key": "schedule_meeting", "return_step_key": "executive-call", "config": {"defaults": {"duration_minutes": 30}}},
     {"key": "call-notes", "label": "Turn my notes into meeting notes", "type": "llm",
      "prompt_template": "Turn the CSM's rough notes from the recovery call with {{customer.name}} into meeting_notes: decisions, commitments with owners and dates, open questions."}
    ]},
   {"key": "record-outcome", "title": "Record the outcome", "type": "outcome",
    "artifact_types": ["summary"],
    "prompt_template": "Summarise the outcome of the overdue renewal of {{customer.name}}: renewed (new term and ARR), renewal committed with a signature date, or churned (with the reason). This summary goes into the account history.",
    "branches": [
     {"key": "renewed", "label": "Renewed", "type": "fixed",
      "response_text": "Great. Record the new term and ARR in the summary; the contract will be updated from the signed order form."},
     {"key": "churned", "label": "The customer is leaving", "type": "fixed",
      "response_text": "Record the reason in the customer's own words and the date service ends. A manager will review churned accounts this week."},
     {"key": "follow-up-task", "label": "Create a follow-up task", "type": "saved_action",
      "saved_action_key": "create_task", "return_step_key": "record-outcome", "config": {"defaults": {"task_type": "follow_up", "priority": "high"}}}
    ]}
  ]},

 {"key": "emergency", "name": "Emergency Stage", "type": "renewal", "base_score": 90,
  "trigger": {"kind": "renewal_stage", "stage": "Emergency"},
  "description": "The renewal is due within a week. Remove the last blockers and get the signature.",
  "steps": [
   {"key": "check-signature-path", "title": "Check the path to signature", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "{{customer.name}} renews on {{customer.renewal_date}} ({{workflow.days_until_renewal}} days). List who still has to sign or approve, what they are waiting for, and anything in the engagement history ({{data.engagement}}) that suggests the date will slip.",
    "branches": [
     {"key": "on-track", "label": "Everything is with the signer", "type": "fixed",
      "response_text": "Then the job is to keep it moving: a short reminder and a daily check until it is signed.",
      "next_step_key": "send-final-terms"},
     {"key": "find-blockers", "label": "Something is blocking it", "type": "llm", "allow_off_script": true,
      "prompt_template": "Help the CSM name the blocker on {{customer.name}}'s renewal (pricing, legal terms, security review, budget, missing signer) and what would clear it within {{workflow.days_until_renewal}} days."}
    ]},
   {"key": "remove-blockers", "title": "Remove the blockers", "type": "analysis",
    "artifact_types": ["action_plan"],
    "prompt_template": "For each blocker on {{customer.name}}'s renewal, propose one concrete action, its owner (CSM {{account_team.csm}}, account executive {{account_team.account_executive}}, support engineer {{account_team.support_engineer}}) and a deadline before {{customer.renewal_date}}.",
    "branches": [
     {"key": "plan-it", "label": "Build the action plan", "type": "llm",
      "prompt_template": "Write an action_plan artifact clearing the blockers on {{customer.name}}'s renewal, each item with owner and date."},
     {"key": "escalate", "label": "This needs my manager", "type": "saved_action",
      "saved_action_key": "escalate", "return_step_key": "remove-blockers", "config": {"defaults": {"level": "manager"}}}
    ]},
   {"key": "send-final-terms", "title": "Send the final terms", "type": "draft",
    "artifact_types": ["email_draft"],
    "prompt_template": "Write a brief email from {{account_team.csm}} to the signer at {{customer.name}} with the final renewal terms (ARR {{customer.arr}}), the signing link or next step, and the date {{customer.renewal_date}}. Friendly, one screen, one clear ask.",
    "branches": [
     {"key": "draft", "label": "Draft the email", "type": "llm",
      "prompt_template": "Draft the final-terms email for {{customer.name}} as an email_draft artifact."},
     {"key": "send", "label": "Send the approved draft", "type": "saved_action",
      "saved_action_key": "send_email", "return_step_key": "daily-check"}
    ]},
   {"key": "daily-check", "title": "Check in daily until signed", "type": "action",
    "artifact_types": [],
    "prompt_template": "Suggest the daily check-ins for {{customer.name}} until {{customer.renewal_date}}: whom to contact, through which channel, and what to ask.",
    "branches": [
     {"key": "daily-task", "label": "Create a daily check-in task", "type": "saved_action",
      "saved_action_key": "create_task", "return_step_key": "record-outcome", "config": {"defaults": {"task_type": "follow_up", "priority": "urgent"}}},
     {"key": "signed", "label": "It is signed", "type": "fixed",
      "response_text": "Excellent. Go straight to recording the outcome.", "next_step_key": "record-outcome"}
    ]},
   {"key": "record-outcome", "title": "Record the outcome", "type": "outcome",
    "artifact_types": ["summary"],
    "prompt_template": "Summarise how {{customer.name}}'s renewal closed: signed (term, ARR), slipped (new date and reason) or lost (reason).",
    "branches": [
     {"key": "signed", "label": "Signed", "type": "fixed",
      "response_text": "Record the term and ARR; the renewal is done."},
     {"key": "slipped", "label": "It will slip past the date", "type": "fixed",
      "response_text": "Record the new expected date and the reason. The orchestrator will move this account to the Overdue workflow if the date passes."}
    ]}
  ]},

 {"key": "critical", "name": "Critical Stage", "type": "renewal", "base_score": 80,
  "trigger": {"kind": "renewal_stage", "stage": "Critical"},
  "description": "One to two weeks before renewal: make sure the contract is agreed and the signing is scheduled.",
  "steps": [
   {"key": "review-contract", "title": "Review the renewal contract", "type": "review",
    "artifact_types": ["contract_analysis"],
    "prompt_template": "Review the current contract of {{customer.name}} (renews {{customer.renewal_date}}, ARR {{customer.arr}}): term, auto-renewal, notice period, price changes and any clause the customer questioned. Point out anything that could delay signature.",
    "branches": [
     {"key": "analyse", "label": "Analyse the contract with me", "type": "llm", "allow_off_script": true,
      "prompt_template": "Produce a contract_analysis of {{customer.name}}'s renewal: terms that changed, risky clauses, notice period."},
     {"key": "no-changes", "label": "Same terms as last year", "type": "fixed",
      "response_text": "Then no legal review is needed; confirm the approvers next.", "next_step_key": "confirm-approvers"}
    ]},
   {"key": "confirm-approvers", "title": "Confirm the approvers", "type": "analysis",
    "artifact_types": ["assessment"],
    "prompt_template": "From the stakeholders of {{customer.name}} ({{account_team.stakeholders}}), identify the decision makers and champions, and say who must approve the renewal and whether we have spoken to them in the last 30 days.",
    "branches": [
     {"key": "map", "label": "Who signs?", "type": "llm",
      "prompt_template": "List the people who must approve {{customer.name}}'s renewal, with their role, influence and last contact."},
     {"key": "remind-me", "label": "Remind me to chase an approver", "type": "saved_action",
      "saved_action_key": "create_task", "return_step_key": "draft-reminder", "config": {"defaults": {"task_type": "follow_up", "priority": "high"}}}
    ]},
   {"key": "draft-reminder", "title": "Send a renewal reminder", "type": "draft",
    "artifact_types": ["email_draft"],
    "prompt_template": "Write a reminder from {{account_team.csm}} to {{customer.name}}'s decision maker: renewal on {{customer.renewal_date}}, what they get for {{customer.arr}}, and a proposed time for a signing call.",
    "branches": [
     {"key": "draft", "label": "Draft the reminder", "type": "llm",
      "prompt_template": "Draft the renewal reminder for {{customer.name}} as an email_draft artifact."},
     {"key": "send", "label": "Send the approved draft", "type": "saved_action",
      "saved_action_key": "send_email", "return_step_key": "schedule-signing"}
    ]},
   {"key": "schedule-signing", "title": "Schedule the signing call", "type": "meeting",
    "artifact_types": ["meeting_notes"],
    "prompt_template": "Prepare a 30-minute signing call with {{customer.name}}: agenda, the open points to close, and who from our side attends.",
    "branches": [
     {"key": "book", "label": "Book the signing call", "type": "saved_action",
      "saved_action_key": "schedule_meeting", "return_step_key": "record-outcome", "config": {"defaults": {"duration_minutes": 30}}},
     {"key": "already-booked", "label": "It is already in the calendar", "type": "fixed",
      "response_text": "Good. Record the outcome after the call.", "next_step_key": "record-outcome"}
    ]},
   {"key": "record-outcome", "title": "Record the outcome", "type": "outcome",
    "artifact_types": ["summary"],
    "prompt_template": "Summarise the state of {{customer.name}}'s renewal after the signing call: signed, signature date agreed, or blocked (by what).",
    "branches": [
     {"key": "signed", "label": "Signed", "type": "fixed", "response_text": "Record the term and ARR; done."},
     {"key": "blocked", "label": "Still blocked", "type": "saved_action",
      "saved_action_key": "escalate", "return_step_key": "record-outcome", "config": {"defaults": {"level": "manager"}}}
    ]}
  ]},

 {"key": "signature", "name": "Signature Stage", "type": "renewal", "base_score": 70,
  "trigger": {"kind": "renewal_stage", "stage": "Signature"},
  "description": "Two to four weeks before renewal: the terms are agreed, get the order form out for signature.",
  "steps": [
   {"key": "prepare-order-form", "title": "Prepare the order form", "type": "review",
    "artifact_types": ["contract_analysis"],
    "prompt_template": "Check the renewal order form for {{customer.name}} against the agreed terms: ARR {{customer.arr}}, seats (licensed {{data.usage.licensed_seats}}, active {{data.usage.active_users}}), term and start date {{customer.renewal_date}}.",
    "branches": [
     {"key": "check", "label": "Check the order form with me", "type": "llm",
      "prompt_template": "Compare the order form the CSM pastes with {{customer.name}}'s agreed renewal terms and list every difference."},
     {"key": "ae-owns", "label": "The account executive prepares it", "type": "fixed",
      "response_text": "Then confirm with {{account_team.account_executive}} that it goes out this week and move on to the signatories.",
      "next_step_key": "confirm-signatories"}
    ]},
   {"key": "confirm-signatories", "title": "Confirm the signatories", "type": "analysis",
    "artifact_types": ["assessment"],
    "prompt_template": "Who signs for {{customer.name}}? Use the stakeholders ({{account_team.stakeholders}}) and the last contract. Flag a signatory who has left or has not been in contact for 60 days.",
    "branches": [
     {"key": "who", "label": "Who signs?", "type": "llm",
      "prompt_template": "Name the signatories for {{customer.name}}'s renewal and how recently we spoke to each."}
    ]},
   {"key": "send-for-signature", "title": "Send for signature", "type": "draft",
    "artifact_types": ["email_draft"],
    "prompt_template": "Write the email that sends {{customer.name}}'s renewal order form for signature: what changed since last year, the date it must be signed by ({{customer.renewal_date}}), and who to ask with questions.",
    "branches": [
     {"key": "draft", "label": "Draft the email", "type": "llm",
      "prompt_template": "Draft the send-for-signature email for {{customer.name}} as an email_draft artifact."},
     {"key": "send", "label": "Send the approved draft", "type": "saved_action",
      "saved_action_key": "send_email", "return_step_key": "record-outcome"},
     {"key": "wait", "label": "Wait a week before chasing", "type": "saved_action",
      "saved_action_key": "snooze", "return_step_key": "send-for-signature", "config": {"defaults": {"days": 7}}}
    ]},
   {"key": "record-outcome", "title": "Record the outcome", "type": "outcome",
    "artifact_types": ["summary"],
    "prompt_template": "Record whether {{customer.name}} signed, when, and on which terms; or what is still outstanding.",
    "branches": [
     {"key": "signed", "label": "Signed", "type": "fixed", "response_text": "Record the signed term and ARR. Done."}
    ]}
  ]},

 {"key": "finalize", "name": "Finalize Stage", "type": "renewal", "base_score": 60,
  "trigger": {"kind": "renewal_stage", "stage": "Finalize"},
  "description": "One to two months before renewal: close the open commercial and legal points and send the final proposal.",
  "steps": [
   {"key": "review-proposal-status", "title": "Review where the proposal stands", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "Summarise the renewal discussion with {{customer.name}} so far from the engagement history ({{data.engagement}}): what was proposed, what they pushed back on, and what is still open. Renewal on {{customer.renewal_date}}, ARR {{customer.arr}}.",
    "branches": [
     {"key": "summarise", "label": "Summarise the discussion so far", "type": "llm", "allow_off_script": true,
      "prompt_template": "Summarise the open points in {{customer.name}}'s renewal discussion."},
     {"key": "nothing-open", "label": "Nothing is open", "type": "fixed",
      "response_text": "Then go straight to the final proposal.", "next_step_key": "draft-final-proposal"}
    ]},
   {"key": "resolve-open-terms", "title": "Resolve the open terms", "type": "analysis",
    "artifact_types": ["contract_analysis", "recommendation"],
    "prompt_template": "For each open term in {{customer.name}}'s renewal (price, seats, term length, legal clauses), recommend a position with its cost and the fallback. Consider usage ({{data.usage}}) and health {{customer.health_score}}.",
    "branches": [
     {"key": "recommend", "label": "Recommend a position on each term", "type": "llm",
      "prompt_template": "Write a recommendation artifact with our position and fallback for each open term of {{customer.name}}'s renewal."},
     {"key": "legal-task", "label": "Ask legal to review a clause", "type": "saved_action",
      "saved_action_key": "create_task", "return_step_key": "resolve-open-terms", "config": {"defaults": {"task_type": "review_contract", "priority": "high"}}}
    ]},
   {"key": "draft-final-proposal", "title": "Draft the final proposal", "type": "draft",
    "artifact_types": ["proposal_draft"],
    "prompt_template": "Draft the final renewal proposal for {{customer.name}}: the value delivered this term (usage, outcomes), the renewal terms, and the timeline to signature before {{customer.renewal_date}}.",
    "branches": [
     {"key": "draft", "label": "Draft the proposal", "type": "llm",
      "prompt_template": "Write a proposal_draft artifact for {{customer.name}}'s renewal."}
    ]},
   {"key": "align-with-ae", "title": "Align with the account executive", "type": "meeting",
    "artifact_types": ["meeting_notes"],
    "prompt_template": "Prepare a 15-minute alignment with {{account_team.account_executive}} on {{customer.name}}'s final proposal: the numbers, the concessions we accept, and who sends it.",
    "branches": [
     {"key": "book", "label": "Book 15 minutes with the AE", "type": "saved_action",
      "saved_action_key": "schedule_meeting", "return_step_key": "record-outcome", "config": {"defaults": {"duration_minutes": 15}}}
    ]},
   {"key": "record-outcome", "title": "Record the outcome", "type": "outcome",
    "artifact_types": ["summary"],
    "prompt_template": "Record what was sent to {{customer.name}}, when, and the customer's first reaction.",
    "branches": [
     {"key": "sent", "label": "The proposal is out", "type": "fixed", "response_text": "Recorded. The Signature workflow takes over when the account reaches that stage."}
    ]}
  ]},

 {"key": "negotiate", "name": "Negotiate Stage", "type": "renewal", "base_score": 50,
  "trigger": {"kind": "renewal_stage", "stage": "Negotiate"},
  "description": "Two to three months before renewal: show the value delivered and agree the renewal terms.",
  "steps": [
   {"key": "value-delivered", "title": "Review the value delivered", "type": "analysis",
    "artifact_types": ["summary"],
    "prompt_template": "Summarise the value {{customer.name}} got this term: adoption ({{data.usage}}), outcomes from QBRs and meetings ({{data.engagement}}), ARR trend ({{data.financials}}). Be factual; say where data is missing.",
    "branches": [
     {"key": "value-summary", "label": "Write the value summary", "type": "llm", "allow_off_script": true,
      "prompt_template": "Write a value summary for {{customer.name}} as a summary artifact."}
    ]},
   {"key": "pricing-strategy", "title": "Decide the pricing strategy", "type": "analysis",
    "artifact_types": ["recommendation"],
    "prompt_template": "Recommend a renewal price position for {{customer.name}}: flat, uplift or reduction, given ARR {{customer.arr}}, plan {{customer.account_plan}}, health {{customer.health_score}}, seat utilisation {{data.usage.utilisation}} and opportunity {{intelligence.opportunity_score}}.",
    "branches": [
     {"key": "recommend", "label": "Recommend a price position", "type": "llm",
      "prompt_template": "Recommend a renewal price position for {{customer.name}} with the reasoning."},
     {"key": "flat", "label": "Renew flat", "type": "fixed",
      "response_text": "Flat renewal it is: same price, same seats. Draft the proposal on that basis.", "next_step_key": "draft-proposal"}
    ]},
   {"key": "draft-proposal", "title": "Draft the renewal proposal", "type": "draft",
    "artifact_types": ["proposal_draft", "email_draft"],
    "prompt_template": "Draft the renewal proposal for {{customer.name}} and a cover email to the decision maker, using the value summary and the chosen price position.",
    "branches": [
     {"key": "draft", "label": "Draft the proposal and cover email", "type": "llm",
      "prompt_template": "Write a proposal_draft and an email_draft for {{customer.name}}'s renewal."},
     {"key": "send", "label": "Send the approved cover email", "type": "saved_action",
      "saved_action_key": "send_email", "return_step_key": "negotiation-meeting"}
    ]},
   {"key": "negotiation-meeting", "title": "Hold the negotiation meeting", "type": "meeting",
    "artifact_types": ["meeting_notes"],
    "prompt_template": "Prepare the negotiation meeting with {{customer.name}}: their likely objections, our answers, our walk-away point. Afterwards, turn the notes into meeting notes.",
    "branches": [
     {"key": "book", "label": "Book the meeting", "type": "saved_action",
      "saved_action_key": "schedule_meeting", "return_step_key": "negotiation-meeting", "config": {"defaults": {"duration_minutes": 45}}},
     {"key": "objections", "label": "Rehearse their objections", "type": "llm", "allow_off_script": true,
      "prompt_template": "Play {{customer.name}}'s decision maker raising the objections they are most likely to raise about the renewal; let the CSM practise answers."}
    ]},
   {"key": "record-outcome", "title": "Record the agreed terms", "type": "outcome",
    "artifact_types": ["summary"],
    "prompt_template": "Record the renewal terms agreed with {{customer.name}}, or the open points that the Finalize stage must close.",
    "branches": [
     {"key": "agreed", "label": "Terms agreed", "type": "fixed", "response_text": "Recorded. The paperwork follows in the Finalize stage."}
    ]}
  ]},

 {"key": "engage", "name": "Engage Stage", "type": "renewal", "base_score": 40,
  "trigger": {"kind": "renewal_stage", "stage": "Engage"},
  "description": "Three to four months before renewal: open the renewal conversation with the right people.",
  "steps": [
   {"key": "review-account", "title": "Review the account", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "Give a one-page brief on {{customer.name}} ahead of the renewal conversation: ARR {{customer.arr}} and trend, health {{customer.health_score}}, usage {{data.usage}}, last contact and last QBR ({{data.engagement}}), open tickets.",
    "branches": [
     {"key": "brief", "label": "Write the account brief", "type": "llm",
      "prompt_template": "Write a one-page account brief for {{customer.name}} as a summary artifact."}
    ]},
   {"key": "stakeholder-map", "title": "Map the stakeholders", "type": "analysis",
    "artifact_types": ["assessment"],
    "prompt_template": "Map {{customer.name}}'s stakeholders ({{account_team.stakeholders}}): champion, decision maker, economic buyer, detractors. Where is a role unfilled or a relationship cold?",
    "branches": [
     {"key": "map", "label": "Map the stakeholders with me", "type": "llm", "allow_off_script": true,
      "prompt_template": "Assess the stakeholder coverage of {{customer.name}} and name the gaps."},
     {"key": "no-champion", "label": "We have no champion", "type": "fixed",
      "response_text": "That is the first risk to fix: the kickoff email goes to the most engaged user and asks them to bring the decision maker.",
      "next_step_key": "draft-kickoff"}
    ]},
   {"key": "draft-kickoff", "title": "Open the renewal conversation", "type": "draft",
    "artifact_types": ["email_draft"],
    "prompt_template": "Write the email that opens the renewal conversation with {{customer.name}}: a recap of the year, the renewal date {{customer.renewal_date}}, and an invitation to a 45-minute review.",
    "branches": [
     {"key": "draft", "label": "Draft the kickoff email", "type": "llm",
      "prompt_template": "Draft the renewal kickoff email for {{customer.name}} as an email_draft artifact."},
     {"key": "send", "label": "Send the approved draft", "type": "saved_action",
      "saved_action_key": "send_email", "return_step_key": "kickoff-meeting"}
    ]},
   {"key": "kickoff-meeting", "title": "Hold the renewal kickoff", "type": "meeting",
    "artifact_types": ["meeting_notes", "action_plan"],
    "prompt_template": "Prepare the renewal kickoff with {{customer.name}}: goals for next year, what they need from us, the renewal timeline. Turn the notes into meeting notes and an action plan.",
    "branches": [
     {"key": "book", "label": "Book the kickoff", "type": "saved_action",
      "saved_action_key": "schedule_meeting", "return_step_key": "kickoff-meeting", "config": {"defaults": {"duration_minutes": 45}}},
     {"key": "notes", "label": "Turn my notes into meeting notes", "type": "llm",
      "prompt_template": "Turn the CSM's kickoff notes for {{customer.name}} into meeting_notes and an action_plan."}
    ]}
  ]},

 {"key": "prepare", "name": "Prepare Stage", "type": "renewal", "base_score": 30,
  "trigger": {"kind": "renewal_stage", "stage": "Prepare"},
  "description": "Four to six months before renewal: build the value story and find risks while there is time to fix them.",
  "steps": [
   {"key": "review-usage", "title": "Review adoption and usage", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "How is {{customer.name}} using the product? Active users vs licensed seats ({{data.usage}}), the trend over the last quarter, and which teams are not adopting.",
    "branches": [
     {"key": "usage", "label": "Explain the usage trend", "type": "llm", "allow_off_script": true,
      "prompt_template": "Explain {{customer.name}}'s usage trend and what drives it."}
    ]},
   {"key": "identify-risks", "title": "Identify renewal risks", "type": "analysis",
    "artifact_types": ["assessment"],
    "prompt_template": "List the risks to {{customer.name}}'s renewal on {{customer.renewal_date}}: low utilisation, falling health ({{customer.health_score}}), support escalations, stakeholder changes, NPS ({{data.engagement.nps}}). Rate each low/medium/high.",
    "branches": [
     {"key": "assess", "label": "Assess the risks", "type": "llm",
      "prompt_template": "Write an assessment artifact of {{customer.name}}'s renewal risks, each rated."},
     {"key": "none", "label": "No material risk", "type": "fixed",
      "response_text": "Good. The plan can focus on growth and the value story.", "next_step_key": "renewal-plan"}
    ]},
   {"key": "value-story", "title": "Build the value story", "type": "draft",
    "artifact_types": ["summary"],
    "prompt_template": "Draft the value story for {{customer.name}}: the problem they bought us for, the outcomes so far with numbers, and what next year could bring.",
    "branches": [
     {"key": "draft", "label": "Draft the value story", "type": "llm",
      "prompt_template": "Draft {{customer.name}}'s value story as a summary artifact."}
    ]},
   {"key": "renewal-plan", "title": "Plan the renewal", "type": "outcome",
    "artifact_types": ["action_plan"],
    "prompt_template": "Write the renewal plan for {{customer.name}}: milestones from now to {{customer.renewal_date}}, owners, and the risks each milestone addresses.",
    "branches": [
     {"key": "plan", "label": "Write the renewal plan", "type": "llm",
      "prompt_template": "Write an action_plan for {{customer.name}}'s renewal with dated milestones."},
     {"key": "task", "label": "Create a task for the first milestone", "type": "saved_action",
      "saved_action_key": "create_task", "return_step_key": "renewal-plan", "config": {"defaults": {"task_type": "follow_up", "priority": "medium"}}}
    ]}
  ]},

 {"key": "monitor", "name": "Monitor Stage", "type": "renewal", "base_score": 20,
  "trigger": {"kind": "renewal_stage", "stage": "Monitor"},
  "description": "Six months or more before renewal: keep an eye on health and adoption.",
  "steps": [
   {"key": "health-snapshot", "title": "Take a health snapshot", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "Give a short health snapshot of {{customer.name}}: health {{customer.health_score}}, plan {{customer.account_plan}}, usage {{data.usage}}, last contact ({{data.engagement}}), renewal on {{customer.renewal_date}}.",
    "branches": [
     {"key": "snapshot", "label": "Summarise the account's health", "type": "llm",
      "prompt_template": "Summarise {{customer.name}}'s health in five lines."},
     {"key": "healthy", "label": "Healthy, nothing to do", "type": "fixed",
      "response_text": "Noted. Set the next touchpoint and close this check.", "next_step_key": "next-touchpoint"}
    ]},
   {"key": "check-adoption", "title": "Check adoption", "type": "analysis",
    "artifact_types": ["recommendation"],
    "prompt_template": "Is {{customer.name}} adopting the product as expected (utilisation {{data.usage.utilisation}})? Recommend one action that would raise adoption this quarter.",
    "branches": [
     {"key": "recommend", "label": "Recommend an adoption action", "type": "llm",
      "prompt_template": "Recommend one adoption action for {{customer.name}}."}
    ]},
   {"key": "next-touchpoint", "title": "Set the next touchpoint", "type": "action",
    "artifact_types": [],
    "prompt_template": "Suggest when and how to next contact {{customer.name}}, and about what.",
    "branches": [
     {"key": "task", "label": "Create the touchpoint task", "type": "saved_action",
      "saved_action_key": "create_task", "return_step_key": "next-touchpoint", "config": {"defaults": {"task_type": "follow_up", "priority": "low"}}},
     {"key": "later", "label": "Look again in a month", "type": "saved_action",
      "saved_action_key": "snooze", "return_step_key": "health-snapshot", "config": {"defaults": {"days": 30}}}
    ]}
  ]},

 {"key": "quarterly-review", "name": "Quarterly Business Review", "type": "strategic", "base_score": 70,
  "trigger": {"kind": "schedule", "every": "quarter", "plans": ["invest", "expand"]},
  "description": "A quarterly review with the customer's leadership: results, goals, and the plan for next quarter.",
  "steps": [
   {"key": "gather-metrics", "title": "Gather the quarter's metrics", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "Collect the quarter's facts for {{customer.name}}: usage trend ({{data.usage}}), support tickets opened and closed, NPS ({{data.engagement.nps}}), ARR ({{data.financials}}), and the goals agreed at the last QBR.",
    "branches": [
     {"key": "metrics", "label": "Summarise the quarter", "type": "llm",
      "prompt_template": "Summarise {{customer.name}}'s quarter as a summary artifact."}
    ]},
   {"key": "build-review", "title": "Build the review", "type": "draft",
    "artifact_types": ["summary", "recommendation"],
    "prompt_template": "Draft the QBR storyline for {{customer.name}}: wins, misses, what we learned, three recommendations for next quarter.",
    "branches": [
     {"key": "storyline", "label": "Draft the storyline", "type": "llm", "allow_off_script": true,
      "prompt_template": "Draft the QBR storyline and three recommendations for {{customer.name}}."}
    ]},
   {"key": "send-agenda", "title": "Send the agenda", "type": "draft",
    "artifact_types": ["email_draft"],
    "prompt_template": "Write the QBR invitation and agenda to {{customer.name}}'s executive sponsor and champion ({{account_team.stakeholders}}).",
    "branches": [
     {"key": "draft", "label": "Draft the agenda email", "type": "llm",
      "prompt_template": "Draft the QBR agenda email for {{customer.name}} as an email_draft artifact."},
     {"key": "send", "label": "Send the approved draft", "type": "saved_action",
      "saved_action_key": "send_email", "return_step_key": "hold-review"}
    ]},
   {"key": "hold-review", "title": "Hold the review", "type": "meeting",
    "artifact_types": ["meeting_notes"],
    "prompt_template": "Prepare the CSM to run {{customer.name}}'s QBR; afterwards, turn the notes into meeting notes with decisions and commitments.",
    "branches": [
     {"key": "book", "label": "Book the QBR", "type": "saved_action",
      "saved_action_key": "schedule_meeting", "return_step_key": "hold-review", "config": {"defaults": {"duration_minutes": 60}}},
     {"key": "notes", "label": "Turn my notes into meeting notes", "type": "llm",
      "prompt_template": "Turn the CSM's QBR notes for {{customer.name}} into meeting_notes."}
    ]},
   {"key": "follow-up", "title": "Follow up on commitments", "type": "outcome",
    "artifact_types": ["action_plan"],
    "prompt_template": "List the commitments from {{customer.name}}'s QBR as an action plan with owners and dates.",
    "branches": [
     {"key": "plan", "label": "Write the follow-up plan", "type": "llm",
      "prompt_template": "Write an action_plan from {{customer.name}}'s QBR commitments."},
     {"key": "no-commitments", "label": "No new commitments", "type": "fixed",
      "response_text": "Recorded: nothing new to follow up. The next quarterly review opens next quarter."},
     {"key": "task", "label": "Create a follow-up task", "type": "saved_action",
      "saved_action_key": "create_task", "return_step_key": "follow-up", "config": {"defaults": {"task_type": "follow_up", "priority": "medium"}}}
    ]}
  ]},

 {"key": "health-check", "name": "Monthly Health Check", "type": "strategic", "base_score": 60,
  "trigger": {"kind": "schedule", "every": "month", "plans": ["invest", "expand"]},
  "description": "A monthly look at a key account's health, usage and support, with one adjustment to the plan.",
  "steps": [
   {"key": "review-health", "title": "Review health and usage", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "Compare {{customer.name}}'s health {{customer.health_score}} and usage ({{data.usage}}) with last month. What moved, and why?",
    "branches": [
     {"key": "what-moved", "label": "What changed this month?", "type": "llm", "allow_off_script": true,
      "prompt_template": "Explain what changed in {{customer.name}}'s health and usage this month."},
     {"key": "stable", "label": "Stable month", "type": "fixed",
      "response_text": "Noted as stable. Check support before closing.", "next_step_key": "support-review"}
    ]},
   {"key": "support-review", "title": "Review support tickets", "type": "analysis",
    "artifact_types": ["assessment"],
    "prompt_template": "Review {{customer.name}}'s support tickets opened and closed this month and any still open; is any of them a risk to the relationship? Support engineer: {{account_team.support_engineer}}.",
    "branches": [
     {"key": "assess", "label": "Assess the tickets", "type": "llm",
      "prompt_template": "Assess {{customer.name}}'s support tickets for relationship risk."},
     {"key": "escalate", "label": "A ticket needs escalation", "type": "saved_action",
      "saved_action_key": "escalate", "return_step_key": "support-review", "config": {"defaults": {"level": "manager"}}}
    ]},
   {"key": "update-plan", "title": "Adjust the account plan", "type": "outcome",
    "artifact_types": ["recommendation"],
    "prompt_template": "Recommend one adjustment to {{customer.name}}'s account plan ({{customer.account_plan}}) based on this month's review.",
    "branches": [
     {"key": "recommend", "label": "Recommend an adjustment", "type": "llm",
      "prompt_template": "Recommend one adjustment to {{customer.name}}'s plan."},
     {"key": "task", "label": "Create a task for it", "type": "saved_action",
      "saved_action_key": "create_task", "return_step_key": "update-plan", "config": {"defaults": {"task_type": "follow_up", "priority": "medium"}}}
    ]}
  ]},

 {"key": "executive-meeting", "name": "Executive Sponsor Meeting", "type": "strategic", "base_score": 80,
  "trigger": {"kind": "manual"},
  "description": "A meeting between the customer's executive sponsor and ours, to secure commitment at the top.",
  "steps": [
   {"key": "brief", "title": "Brief our executive", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "Write a one-page executive brief on {{customer.name}}: who they are ({{customer.industry}}), ARR {{customer.arr}}, health {{customer.health_score}}, renewal {{customer.renewal_date}}, key people ({{account_team.stakeholders}}), and the one thing our executive must know.",
    "branches": [
     {"key": "brief", "label": "Write the executive brief", "type": "llm",
      "prompt_template": "Write the executive brief for {{customer.name}} as a summary artifact."}
    ]},
   {"key": "objectives", "title": "Set the meeting objectives", "type": "analysis",
    "artifact_types": ["recommendation"],
    "prompt_template": "What should the executive meeting with {{customer.name}} achieve? Propose at most three objectives and the ask for each.",
    "branches": [
     {"key": "objectives", "label": "Propose objectives", "type": "llm", "allow_off_script": true,
      "prompt_template": "Propose three objectives and asks for the executive meeting with {{customer.name}}."}
    ]},
   {"key": "invite", "title": "Invite the sponsor", "type": "draft",
    "artifact_types": ["email_draft"],
    "prompt_template": "Write the invitation from our executive to {{customer.name}}'s executive sponsor: purpose, proposed times, 30 minutes.",
    "branches": [
     {"key": "draft", "label": "Draft the invitation", "type": "llm",
      "prompt_template": "Draft the executive invitation for {{customer.name}} as an email_draft artifact."},
     {"key": "send", "label": "Send the approved draft", "type": "saved_action",
      "saved_action_key": "send_email", "return_step_key": "meeting"}
    ]},
   {"key": "meeting", "title": "Hold the meeting", "type": "meeting",
    "artifact_types": ["meeting_notes"],
    "prompt_template": "Turn the notes of the executive meeting with {{customer.name}} into meeting notes: commitments made on each side.",
    "branches": [
     {"key": "book", "label": "Book the meeting", "type": "saved_action",
      "saved_action_key": "schedule_meeting", "return_step_key": "meeting", "config": {"defaults": {"duration_minutes": 30}}},
     {"key": "notes", "label": "Turn my notes into meeting notes", "type": "llm",
      "prompt_template": "Write meeting_notes from the executive meeting with {{customer.name}}."}
    ]},
   {"key": "follow-up", "title": "Send the follow-up", "type": "outcome",
    "artifact_types": ["email_draft", "action_plan"],
    "prompt_template": "Draft the thank-you and follow-up to {{customer.name}}'s sponsor restating the commitments, and an internal action plan.",
    "branches": [
     {"key": "draft", "label": "Draft the follow-up", "type": "llm",
      "prompt_template": "Draft the executive follow-up email and action_plan for {{customer.name}}."},
     {"key": "done", "label": "Follow-up already sent", "type": "fixed", "response_text": "Recorded. The workflow is complete."}
    ]}
  ]},

 {"key": "risk-assessment", "name": "Risk Assessment", "type": "risk", "base_score": 85,
  "trigger": {"kind": "score", "field": "risk_score", "min": 60},
  "description": "The risk score crossed the threshold: understand the risk and decide how to respond.",
  "steps": [
   {"key": "review-signals", "title": "Review the risk signals", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "{{customer.name}} has a risk score of {{intelligence.risk_score}}. List the signals behind it from the data: usage trend ({{data.usage}}), health {{customer.health_score}}, support tickets and NPS ({{data.engagement}}), ARR trend ({{data.financials}}), stakeholder changes.",
    "branches": [
     {"key": "signals", "label": "What is driving the risk?", "type": "llm", "allow_off_script": true,
      "prompt_template": "Explain the signals behind {{customer.name}}'s risk score."},
     {"key": "false-alarm", "label": "I know this account: it is a false alarm", "type": "fixed",
      "response_text": "Record why in the decision step so the next person knows; no intervention needed.",
      "next_step_key": "decide-response"}
    ]},
   {"key": "root-cause", "title": "Find the root cause", "type": "analysis",
    "artifact_types": ["assessment"],
    "prompt_template": "Assess the root cause of {{customer.name}}'s risk: product fit, adoption, support quality, relationship, budget or competition. Rate confidence and name the evidence.",
    "branches": [
     {"key": "assess", "label": "Assess the root cause", "type": "llm",
      "prompt_template": "Write an assessment artifact of the root cause of {{customer.name}}'s risk."}
    ]},
   {"key": "mitigation-plan", "title": "Plan the mitigation", "type": "draft",
    "artifact_types": ["action_plan"],
    "prompt_template": "Draft a mitigation plan for {{customer.name}}: actions, owners (CSM {{account_team.csm}}, support {{account_team.support_engineer}}, AE {{account_team.account_executive}}) and dates, and how we will know the risk has dropped.",
    "branches": [
     {"key": "plan", "label": "Draft the mitigation plan", "type": "llm",
      "prompt_template": "Draft a mitigation action_plan for {{customer.name}}."},
     {"key": "task", "label": "Create a task for the first action", "type": "saved_action",
      "saved_action_key": "create_task", "return_step_key": "mitigation-plan", "config": {"defaults": {"task_type": "follow_up", "priority": "high"}}}
    ]},
   {"key": "decide-response", "title": "Decide the response", "type": "outcome",
    "artifact_types": ["recommendation"],
    "prompt_template": "Recommend whether {{customer.name}} needs a Risk Intervention, manager escalation, or monitoring only, and why.",
    "branches": [
     {"key": "monitor-only", "label": "Monitor only", "type": "fixed",
      "response_text": "Recorded: monitor. The monthly health check will watch the signals."},
     {"key": "escalate", "label": "Escalate", "type": "saved_action",
      "saved_action_key": "escalate", "return_step_key": "decide-response", "config": {"defaults": {"level": "manager"}}}
    ]}
  ]},

 {"key": "risk-intervention", "name": "Risk Intervention", "type": "risk", "base_score": 90,
  "trigger": {"kind": "manual"},
  "description": "An account at serious risk: align internally, reach the customer quickly, and agree a recovery plan.",
  "steps": [
   {"key": "align-internally", "title": "Align internally", "type": "meeting",
    "artifact_types": ["meeting_notes"],
    "prompt_template": "Prepare a 15-minute internal alignment on {{customer.name}} (risk {{intelligence.risk_score}}, ARR {{customer.arr}}) with the account team ({{account_team.csm}}, {{account_team.account_executive}}, {{account_team.support_engineer}}): the facts, the hypothesis, who talks to whom.",
    "branches": [
     {"key": "book", "label": "Book the internal huddle", "type": "saved_action",
      "saved_action_key": "schedule_meeting", "return_step_key": "align-internally", "config": {"defaults": {"duration_minutes": 15}}},
     {"key": "facts", "label": "Lay out the facts", "type": "llm",
      "prompt_template": "Lay out the facts about {{customer.name}}'s situation for the internal huddle."}
    ]},
   {"key": "customer-outreach", "title": "Reach out to the customer", "type": "draft",
    "artifact_types": ["email_draft"],
    "prompt_template": "Write an outreach to {{customer.name}}'s champion or decision maker acknowledging the problem plainly, and asking for a call within 48 hours.",
    "branches": [
     {"key": "draft", "label": "Draft the outreach", "type": "llm",
      "prompt_template": "Draft the risk-intervention outreach for {{customer.name}} as an email_draft artifact."},
     {"key": "send", "label": "Send the approved draft", "type": "saved_action",
      "saved_action_key": "send_email", "return_step_key": "intervention-call"}
    ]},
   {"key": "intervention-call", "title": "Hold the intervention call", "type": "meeting",
    "artifact_types": ["meeting_notes"],
    "prompt_template": "Prepare the intervention call with {{customer.name}}: listen first, the questions to ask, what we can commit to. Afterwards, turn notes into meeting notes.",
    "branches": [
     {"key": "book", "label": "Book the call", "type": "saved_action",
      "saved_action_key": "schedule_meeting", "return_step_key": "intervention-call", "config": {"defaults": {"duration_minutes": 45}}},
     {"key": "notes", "label": "Turn my notes into meeting notes", "type": "llm", "allow_off_script": true,
      "prompt_template": "Write meeting_notes from the intervention call with {{customer.name}}."}
    ]},
   {"key": "recovery-plan", "title": "Agree the recovery plan", "type": "draft",
    "artifact_types": ["action_plan"],
    "prompt_template": "Write the recovery plan agreed with {{customer.name}}: commitments on both sides, dates, and the check-in cadence.",
    "branches": [
     {"key": "plan", "label": "Write the recovery plan", "type": "llm",
      "prompt_template": "Write the recovery action_plan for {{customer.name}}."},
     {"key": "escalate", "label": "We need an executive", "type": "saved_action",
      "saved_action_key": "escalate", "return_step_key": "recovery-plan", "config": {"defaults": {"level": "vp_cs"}}}
    ]},
   {"key": "track-recovery", "title": "Track the recovery", "type": "outcome",
    "artifact_types": ["summary"],
    "prompt_template": "Summarise whether {{customer.name}}'s risk is falling: health, usage and sentiment since the intervention.",
    "branches": [
     {"key": "recovered", "label": "Risk is under control", "type": "fixed",
      "response_text": "Recorded. Keep the check-ins going until the next health check confirms it."},
     {"key": "check-later", "label": "Check again in two weeks", "type": "saved_action",
      "saved_action_key": "snooze", "return_step_key": "track-recovery", "config": {"defaults": {"days": 14}}}
    ]}
  ]},

 {"key": "opportunity-identification", "name": "Opportunity Identification", "type": "opportunity", "base_score": 65,
  "trigger": {"kind": "score", "field": "opportunity_score", "min": 70},
  "description": "The opportunity score crossed the threshold: qualify the expansion opportunity and hand it to the account executive.",
  "steps": [
   {"key": "review-signals", "title": "Review the growth signals", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "{{customer.name}} has an opportunity score of {{intelligence.opportunity_score}}. What in the data points to growth: seat utilisation ({{data.usage}}), new teams, positive NPS ({{data.engagement.nps}}), ARR trend ({{data.financials}})?",
    "branches": [
     {"key": "signals", "label": "What suggests growth?", "type": "llm", "allow_off_script": true,
      "prompt_template": "Explain the growth signals at {{customer.name}}."}
    ]},
   {"key": "qualify", "title": "Qualify the opportunity", "type": "analysis",
    "artifact_types": ["assessment"],
    "prompt_template": "Qualify the opportunity at {{customer.name}}: need, budget, decision maker ({{account_team.stakeholders}}), timing. What is missing?",
    "branches": [
     {"key": "qualify", "label": "Qualify it with me", "type": "llm",
      "prompt_template": "Write an assessment qualifying the opportunity at {{customer.name}}."},
     {"key": "not-now", "label": "Not the right time", "type": "fixed",
      "response_text": "Record why and when to look again; the opportunity stays on the account's record.",
      "next_step_key": "hand-off"}
    ]},
   {"key": "size", "title": "Size the opportunity", "type": "analysis",
    "artifact_types": ["recommendation"],
    "prompt_template": "Estimate the size of the expansion at {{customer.name}}: extra seats from usage ({{data.usage}}), add-ons, and the ARR uplift on top of {{customer.arr}}. Give a low and a high figure and the assumptions.",
    "branches": [
     {"key": "size", "label": "Size the opportunity", "type": "llm",
      "prompt_template": "Size the expansion opportunity at {{customer.name}} with low and high ARR figures."}
    ]},
   {"key": "hand-off", "title": "Hand off to the account executive", "type": "action",
    "artifact_types": ["email_draft"],
    "prompt_template": "Write the hand-off note to {{account_team.account_executive}} about {{customer.name}}: the opportunity, its size, the contacts, and the next step.",
    "branches": [
     {"key": "draft", "label": "Draft the hand-off note", "type": "llm",
      "prompt_template": "Draft the hand-off to the account executive for {{customer.name}} as an email_draft artifact."},
     {"key": "task", "label": "Create a task for the AE", "type": "saved_action",
      "saved_action_key": "create_task", "return_step_key": "hand-off", "config": {"defaults": {"task_type": "prepare_proposal", "priority": "medium"}}}
    ]}
  ]},

 {"key": "expansion-proposal", "name": "Expansion Proposal", "type": "opportunity", "base_score": 75,
  "trigger": {"kind": "manual"},
  "description": "Turn a qualified opportunity into an expansion proposal and present it.",
  "steps": [
   {"key": "confirm-need", "title": "Confirm the need", "type": "review",
    "artifact_types": ["summary"],
    "prompt_template": "Restate what {{customer.name}} needs that the expansion solves, in their words, with the evidence from usage ({{data.usage}}) and conversations ({{data.engagement}}).",
    "branches": [
     {"key": "restate", "label": "Restate the need", "type": "llm", "allow_off_script": true,
      "prompt_template": "Restate {{customer.name}}'s need for the expansion."}
    ]},
   {"key": "build-proposal", "title": "Build the proposal", "type": "draft",
    "artifact_types": ["proposal_draft"],
    "prompt_template": "Draft the expansion proposal for {{customer.name}}: scope, price on top of ARR {{customer.arr}}, the outcome it delivers, and the timeline (renewal on {{customer.renewal_date}}: co-term if sensible).",
    "branches": [
     {"key": "draft", "label": "Draft the proposal", "type": "llm",
      "prompt_template": "Write a proposal_draft for {{customer.name}}'s expansion."}
    ]},
   {"key": "review-with-ae", "title": "Review with the account executive", "type": "meeting",
    "artifact_types": ["meeting_notes"],
    "prompt_template": "Prepare a review of {{customer.name}}'s expansion proposal with {{account_team.account_executive}}: pricing approval, discount limits, who presents.",
    "branches": [
     {"key": "book", "label": "Book the review", "type": "saved_action",
      "saved_action_key": "schedule_meeting", "return_step_key": "present", "config": {"defaults": {"duration_minutes": 30}}},
     {"key": "approved", "label": "Already approved", "type": "fixed",
      "response_text": "Go ahead and present it.", "next_step_key": "present"}
    ]},
   {"key": "present", "title": "Present the proposal", "type": "meeting",
    "artifact_types": ["meeting_notes", "email_draft"],
    "prompt_template": "Prepare the presentation of the expansion to {{customer.name}}'s decision maker and the cover email with the proposal.",
    "branches": [
     {"key": "cover", "label": "Draft the cover email", "type": "llm",
      "prompt_template": "Draft the cover email for {{customer.name}}'s expansion proposal as an email_draft artifact."},
     {"key": "send", "label": "Send the approved draft", "type": "saved_action",
      "saved_action_key": "send_email", "return_step_key": "record-outcome"}
    ]},
   {"key": "record-outcome", "title": "Record the outcome", "type": "outcome",
    "artifact_types": ["summary"],
    "prompt_template": "Record the outcome of the expansion proposal to {{customer.name}}: accepted (new ARR), declined (why), or pending (next step and date).",
    "branches": [
     {"key": "won", "label": "Accepted", "type": "fixed",
      "response_text": "Record the new ARR; the account executive books it."},
     {"key": "chase", "label": "Chase in a week", "type": "saved_action",
      "saved_action_key": "snooze", "return_step_key": "record-outcome", "config": {"defaults": {"days": 7}}}
    ]}
  ]}
]
$catalogue$::jsonb);

insert into app.workflows (org_id, key, name, description, workflow_type, trigger_config, base_score, current_version)
select null::uuid, w ->> 'key', w ->> 'name', w ->> 'description', w ->> 'type', w -> 'trigger',
       (w ->> 'base_score')::numeric, 1
from seed_catalogue, jsonb_array_elements(doc) as w
where not exists (select 1 from app.workflows x where x.org_id is null and x.key = w ->> 'key');

-- Version 1 of each core definition: the ordered steps without their branches (branches
-- live in app.workflow_chat_branches, one row each).
insert into app.workflow_versions (workflow_id, org_id, version, config, change_note)
select wf.id, null::uuid, 1,
       jsonb_build_object(
         'steps',
         (select jsonb_agg(
                   jsonb_build_object(
                     'key', s ->> 'key',
                     'title', s ->> 'title',
                     'type', s ->> 'type',
                     'prompt_template', s ->> 'prompt_template',
                     'artifact_types', coalesce(s -> 'artifact_types', '[]'::jsonb)
                   ) order by s_idx)
            from jsonb_array_elements(w -> 'steps') with ordinality as st(s, s_idx))
       ),
       'Core definition shipped with Renubu.'
from seed_catalogue, jsonb_array_elements(doc) as w
join app.workflows wf on wf.org_id is null and wf.key = w ->> 'key'
where not exists (select 1 from app.workflow_versions x where x.workflow_id = wf.id and x.version = 1);

-- The branches written for each step, then two generic ones every step offers: a chat
-- over the customer's history (rag) and the `skip` saved action (back to the next step).
with steps as (
  select v.id as version_id, s, s_idx,
         lead(s ->> 'key') over (partition by v.id order by s_idx) as next_key
  from seed_catalogue, jsonb_array_elements(doc) as w
  join app.workflows wf on wf.org_id is null and wf.key = w ->> 'key'
  join app.workflow_versions v on v.workflow_id = wf.id and v.version = 1
  cross join lateral jsonb_array_elements(w -> 'steps') with ordinality as st(s, s_idx)
  -- A database that got the catalogue from the old seed already has these branches.
  where not exists (select 1 from app.workflow_chat_branches x where x.workflow_version_id = v.id)
)
insert into app.workflow_chat_branches (
  workflow_version_id, org_id, step_key, branch_key, label, branch_type, position,
  response_text, next_step_key, prompt_template, allow_off_script, saved_action_key, return_step_key, config
)
select steps.version_id, null::uuid, steps.s ->> 'key', b ->> 'key', b ->> 'label', b ->> 'type', (b_idx - 1)::int,
       b ->> 'response_text', b ->> 'next_step_key', b ->> 'prompt_template',
       coalesce((b ->> 'allow_off_script')::boolean, false),
       b ->> 'saved_action_key', b ->> 'return_step_key', coalesce(b -> 'config', '{}'::jsonb)
from steps
cross join lateral jsonb_array_elements(steps.s -> 'branches') with ordinality as br(b, b_idx)
union all
select steps.version_id, null::uuid, steps.s ->> 'key', 'ask-history', 'Ask about this account''s history', 'rag', 100,
       null, null,
       'Answer the CSM''s questions about {{customer.name}} from its recorded history only: engagement events, support tickets, usage snapshots, ARR history, contracts and past workflow outcomes. Cite dates, and say plainly when the history holds no answer.',
       true, null, null, '{"sources": ["engagement_events", "usage_snapshots", "arr_history", "contracts", "workflow_executions"]}'::jsonb
from steps
union all
select steps.version_id, null::uuid, steps.s ->> 'key', 'skip-step', 'Skip this step', 'saved_action', 101,
       null, null, null, false, 'skip', steps.next_key, '{}'::jsonb
from steps;

-- The six core saved actions; the configs are the limits and defaults of docs/business-rules.md "Actions" that
-- execute_action enforces (an organisation may add its own actions, not loosen these).
insert into app.saved_actions (org_id, key, name, description, action_type, config)
select v.org_id, v.key, v.name, v.description, v.action_type, v.config::jsonb
from (values
  (null::uuid, 'snooze', 'Snooze Workflow',
   'Put the workflow aside until a later day; it returns to the queue when the time comes.', 'snooze',
   '{"default_days": 7, "min_days": 1, "max_days": 30, "reason_required": true}'),
  (null, 'skip', 'Skip Step',
   'Skip the current step with a reason; the workflow moves on to the next step.', 'skip',
   '{"reason_required": true, "reasons": ["Not applicable", "Already completed", "Customer requested skip", "Internal decision", "Other"]}'),
  (null, 'escalate', 'Escalate to Manager',
   'Escalate the workflow; the assignee''s manager is notified and the escalation is added to the history.', 'escalate',
   '{"levels": ["manager", "vp_cs", "ceo"], "default_level": "manager", "reason_required": true, "notify": "assignee_manager"}'),
  (null, 'schedule_meeting', 'Schedule Meeting',
   'Add a follow-up meeting to the workflow and create a schedule_meeting task.', 'schedule_meeting',
   '{"durations_minutes": [15, 30, 45, 60], "default_duration_minutes": 30, "date_required": true, "attendees_allowed": true, "creates_task_type": "schedule_meeting"}'),
  (null, 'send_email', 'Send Email',
   'Queue an email from an email_draft artifact in the outbox; it must be approved when the organisation requires approval.', 'send_email',
   '{"artifact_type": "email_draft", "requires_approval": "organisation_setting", "approval_setting": "require_email_approval"}'),
  (null, 'create_task', 'Create Follow-up Task',
   'Create a follow-up task linked to the workflow.', 'create_task',
   '{"due_date_required": true, "default_priority": "medium", "priorities": ["low", "medium", "high", "urgent"], "default_task_type": "follow_up"}')
) as v (org_id, key, name, description, action_type, config)
where not exists (select 1 from app.saved_actions x where x.org_id is null and x.key = v.key);

drop table seed_catalogue;
