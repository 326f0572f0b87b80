-- Renubu demo data, applied by `renubu db reset` / `npm start` (and `supabase db reset`).
--
-- What it creates (docs/demo-data.md is the guided tour):
--   1. the workflow catalogue: the 16 core workflow definitions with their steps and chat
--      branches, and the six core saved actions (global rows, org_id null);
--   2. two organisations, Acme Cloud (the main demo) and Globex Analytics (so isolation is
--      visible), with their settings;
--   3. demo people of every role (auth.users + auth.identities + app.profiles), all with the
--      password of tests/support/demo-people.ts;
--   4. customers (26 in Acme over all nine renewal stages and all four plans, 5 in Globex)
--      with 12 months of ARR history, weekly usage snapshots, engagement events,
--      stakeholders and contracts;
--   5. if the orchestrator exists, one run per organisation so the queue is populated.
--
-- Rules this file keeps:
--   - Deterministic: no random(). Ids are fixed or md5-derived, variation comes from the
--     row number, so tests can hand-compute expectations (see docs/demo-data.md).
--   - Dates are relative to the organisation's today (app.organisation_today), so renewal
--     stages are right whenever the seed runs; every renewal offset sits at least two days
--     away from a stage boundary, so a day's drift never changes a stage.
--   - Set-based: one insert ... select per table.

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
from seed_catalogue, jsonb_array_elements(doc) as w;

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
join app.workflows wf on wf.org_id is null and wf.key = w ->> 'key';

-- The branches written for each step, then two generic ones every step offers: a chat
-- over the customer's history (rag) and the `skip` saved action (back to the next step).
with steps as (
  select v.id as version_id, s, s_idx,
         lead(s ->> 'key') over (partition by v.id order by s_idx) as next_key
  from seed_catalogue, jsonb_array_elements(doc) as w
  join app.workflows wf on wf.org_id is null and wf.key = w ->> 'key'
  join app.workflow_versions v on v.workflow_id = wf.id and v.version = 1
  cross join lateral jsonb_array_elements(w -> 'steps') with ordinality as st(s, s_idx)
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

-- The six core saved actions; the configs are the limits and defaults of domain.md that
-- execute_action enforces (an organisation may add its own actions, not loosen these).
insert into app.saved_actions (org_id, key, name, description, action_type, config)
values
  (null, 'snooze', 'Snooze Workflow',
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
   '{"due_date_required": true, "default_priority": "medium", "priorities": ["low", "medium", "high", "urgent"], "default_task_type": "follow_up"}');

drop table seed_catalogue;

-- ---------------------------------------------------------------------------------------
-- 2. Organisations and their settings.
-- ---------------------------------------------------------------------------------------

insert into app.organisations (id, name, slug) values
  ('0a000000-0000-4000-8000-000000000001', 'Acme Cloud', 'acme-cloud'),
  ('0a000000-0000-4000-8000-000000000002', 'Globex Analytics', 'globex-analytics');

-- The insert trigger created a settings row with the domain.md defaults; the demo
-- organisations differ only where the difference is worth showing: Acme requires email
-- approval (the default), Globex does not; each has its own time zone.
update app.organisation_settings s
   set time_zone = v.time_zone,
       require_email_approval = v.require_email_approval,
       settings = v.settings
  from (values
    ('0a000000-0000-4000-8000-000000000001'::uuid, 'Europe/London', true,
     '{"currency": "USD", "fiscal_year_start_month": 1, "demo": true}'::jsonb),
    ('0a000000-0000-4000-8000-000000000002'::uuid, 'America/New_York', false,
     '{"currency": "USD", "fiscal_year_start_month": 7, "demo": true}'::jsonb)
  ) as v(org_id, time_zone, require_email_approval, settings)
 where s.org_id = v.org_id;

-- ---------------------------------------------------------------------------------------
-- 3. Demo people: emails and password as tests/support/demo-people.ts.
--    The account executive and the support engineer are `csm`s without a book of
--    accounts: they receive tasks (hand-offs, ticket follow-ups) and must be able to work
--    them, which a viewer may not; their title says their job.
-- ---------------------------------------------------------------------------------------

create temporary table seed_people (
  handle text primary key,
  id uuid not null,
  org_id uuid not null,
  email text not null,
  full_name text not null,
  role text not null,
  title text not null,
  experience_level text,
  manager_handle text
);

insert into seed_people values
  ('ada',    'a0000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000001', 'ada.admin@acme.test',      'Ada Admin',        'admin',   'Head of Customer Success Operations', 'expert', null),
  ('maria',  'a0000000-0000-4000-8000-000000000002', '0a000000-0000-4000-8000-000000000001', 'maria.manager@acme.test',  'Maria Manager',    'manager', 'Customer Success Manager, Team Lead', 'expert', null),
  ('sam',    'a0000000-0000-4000-8000-000000000003', '0a000000-0000-4000-8000-000000000001', 'sam.csm@acme.test',        'Sam Senior',       'csm',     'Senior Customer Success Manager',     'senior', 'maria'),
  ('casey',  'a0000000-0000-4000-8000-000000000004', '0a000000-0000-4000-8000-000000000001', 'casey.csm@acme.test',      'Casey Junior',     'csm',     'Customer Success Manager',            'junior', 'maria'),
  ('victor', 'a0000000-0000-4000-8000-000000000005', '0a000000-0000-4000-8000-000000000001', 'victor.viewer@acme.test',  'Victor Viewer',    'viewer',  'Revenue Operations Analyst',          'mid',    null),
  ('alex',   'a0000000-0000-4000-8000-000000000006', '0a000000-0000-4000-8000-000000000001', 'alex.ae@acme.test',        'Alex Executive',   'csm',     'Account Executive',                   'mid',    'maria'),
  ('sasha',  'a0000000-0000-4000-8000-000000000007', '0a000000-0000-4000-8000-000000000001', 'sasha.support@acme.test',  'Sasha Support',    'csm',     'Support Engineer',                    'mid',    'maria'),
  ('gina',   'b0000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000002', 'gina.admin@globex.test',   'Gina Admin',       'admin',   'VP Customer Success',                 'expert', null),
  ('gus',    'b0000000-0000-4000-8000-000000000002', '0a000000-0000-4000-8000-000000000002', 'gus.csm@globex.test',      'Gus CSM',          'csm',     'Customer Success Manager',            'mid',    'gina');

-- GoTrue's shape: confirmed email, aud/role authenticated, the email provider in
-- app_metadata, empty strings (not nulls) in the token columns GoTrue scans.
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
  confirmation_token, recovery_token, email_change_token_new, email_change
)
select '00000000-0000-0000-0000-000000000000', p.id, 'authenticated', 'authenticated', p.email,
       extensions.crypt('renubu-demo-password', extensions.gen_salt('bf')), now(),
       '{"provider": "email", "providers": ["email"]}'::jsonb,
       jsonb_build_object('full_name', p.full_name),
       now(), now(), '', '', '', ''
from seed_people p;

insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select p.id::text, p.id,
       jsonb_build_object('sub', p.id::text, 'email', p.email, 'email_verified', true, 'phone_verified', false),
       'email', now(), now(), now()
from seed_people p;

-- Managers first (manager_id must name an existing profile of the same organisation).
insert into app.profiles (id, org_id, role, manager_id, full_name, email, title, experience_level)
select p.id, p.org_id, p.role, null, p.full_name, p.email, p.title, p.experience_level
from seed_people p;

update app.profiles pr
   set manager_id = m.id
  from seed_people p
  join seed_people m on m.handle = p.manager_handle
 where pr.id = p.id;

-- ---------------------------------------------------------------------------------------
-- 4. Customers. One row per customer with the parameters its history is generated from:
--    seats, utilisation a year ago (u0) and now (u1), ARR growth over the year, latest
--    NPS (null = never answered), support tickets this year and how many are still open,
--    and whether it has a champion. Plans follow from ARR and health (the trigger);
--    stages from renewal_in_days (null = no renewal date).
--
--    Acme, by stage:  Overdue 3, 4 (4 is 45 days overdue: past the orchestrator's 30-day
--    cut-off) | Emergency 1, 2, 25 | Critical 5, 6 | Signature 7, 8, 23 | Finalize 9, 10, 22
--    | Negotiate 11, 12 | Engage 13, 14, 24 | Prepare 15, 16, 17 | Monitor 18, 19, 20, 21
--    | no renewal date 26.
--    By plan: expand 1, 7, 10, 16, 18 | invest 2, 5, 8, 12, 13, 20, 22, 24, 26
--    | monitor 3, 6, 11, 17, 21 | manage 4, 9, 14, 15, 19, 23, 25.
--    Customer 2 (Contoso Retail: Emergency, ARR 180 000, invest, senior CSM Sam) is the
--    worked example of the priority formula in domain.md.
-- ---------------------------------------------------------------------------------------

create temporary table seed_customers (
  org text not null,
  n integer not null,
  name text not null,
  domain text not null,
  industry text not null,
  arr numeric not null,
  health integer,
  renewal_in_days integer,
  csm text,
  risk integer,
  opportunity integer,
  seats integer not null,
  u0 numeric not null,
  u1 numeric not null,
  growth numeric not null,
  nps integer,
  tickets integer not null,
  open_tickets integer not null,
  has_champion boolean not null,
  primary key (org, n)
);

insert into seed_customers values
  ('acme',  1, 'Northwind Logistics',      'northwind.example',     'Logistics',              240000, 82,    3, 'sam',   null, 78, 400, 0.80, 1.05,  0.20,   9,  4, 0, true),
  ('acme',  2, 'Contoso Retail',           'contoso.example',       'Retail',                 180000, 68,    5, 'sam',   null, null, 300, 0.70, 0.72, 0.05,  7,  6, 1, true),
  ('acme',  3, 'Fabrikam Health',          'fabrikam.example',      'Healthcare',              95000, 42,  -12, 'sam',   78, null, 150, 0.75, 0.40, -0.10,   3, 14, 4, false),
  ('acme',  4, 'Tailspin Airlines',        'tailspin.example',      'Travel',                  60000, 55,  -45, 'casey', 66, null, 120, 0.60, 0.45,  0.00,   5,  8, 2, false),
  ('acme',  5, 'Litware Security',         'litware.example',       'Cybersecurity',          130000, 71,   10, 'sam',   null, null, 220, 0.70, 0.78, 0.08,  8,  5, 1, true),
  ('acme',  6, 'Adventure Works',          'adventure-works.example','Outdoor retail',          45000, 38,    9, 'casey', 82, null, 100, 0.65, 0.35, -0.15,   2, 12, 3, false),
  ('acme',  7, 'Wide World Importers',     'wideworld.example',     'Wholesale',              210000, 88,   21, 'sam',   null, 85, 350, 0.85, 1.10,  0.25,  10,  3, 0, true),
  ('acme',  8, 'Proseware',                'proseware.example',     'Software',                72000, 64,   25, 'casey', null, null,  90, 0.68, 0.70, 0.04,  7,  4, 0, true),
  ('acme',  9, 'Alpine Ski House',         'alpineski.example',     'Hospitality',             38000, 58,   45, 'sam',   null, null,  60, 0.55, 0.58, 0.00,  6,  5, 1, true),
  ('acme', 10, 'Coho Winery',              'cohowinery.example',    'Food and beverage',      155000, 77,   40, 'sam',   null, 72, 250, 0.80, 0.95,  0.12,   9,  2, 0, true),
  ('acme', 11, 'Blue Yonder Airlines',     'blueyonder.example',    'Travel',                  88000, 47,   70, 'sam',   64, null, 140, 0.70, 0.50, -0.05,   4,  9, 2, true),
  ('acme', 12, 'Trey Research',            'treyresearch.example',  'Biotech',                120000, 80,   75, 'casey', null, 70, 180, 0.78, 0.98,  0.15,   9,  3, 0, true),
  ('acme', 13, 'Lucerne Publishing',       'lucerne.example',       'Media',                   52000, 61,  100, 'sam',   null, null,  80, 0.60, 0.64, 0.04,  7,  4, 0, true),
  ('acme', 14, 'Margie''s Travel',         'margies.example',       'Travel',                  25000, 72,  110, null,    null, null,  40, 0.70, 0.74, 0.00,  8,  2, 0, true),
  ('acme', 15, 'Graphic Design Institute', 'gdi.example',           'Education',               18000, 50,  150, 'casey', null, null,  35, 0.50, 0.52, 0.00,  6,  3, 1, true),
  ('acme', 16, 'Humongous Insurance',      'humongous.example',     'Insurance',              320000, 91,  140, 'sam',   null, 88, 600, 0.88, 1.12,  0.30,  10,  5, 0, true),
  ('acme', 17, 'School of Fine Art',       'fineart.example',       'Education',               12000, 35,  130, null,    71, null,  25, 0.55, 0.30, -0.20,   3,  6, 2, false),
  ('acme', 18, 'Woodgrove Bank',           'woodgrove.example',     'Financial services',     450000, 79,  220, 'sam',   null, null, 900, 0.82, 0.85, 0.10,  8,  7, 1, true),
  ('acme', 19, 'Fourth Coffee',            'fourthcoffee.example',  'Food and beverage',       30000, 66,  300, 'casey', null, null,  50, 0.62, 0.66, 0.00,  7,  2, 0, true),
  ('acme', 20, 'VanArsdel',                'vanarsdel.example',     'Manufacturing',           98000, 74,  200, 'sam',   null, 75, 160, 0.80, 1.02,  0.18,   9,  3, 0, true),
  ('acme', 21, 'Relecloud',                'relecloud.example',     'Cloud services',         140000, 45,  250, 'sam',   73, null, 260, 0.72, 0.48, -0.08,   4, 11, 3, true),
  ('acme', 22, 'Southridge Video',         'southridge.example',    'Media',                   64000, 83,   35, 'sam',   null, null, 100, 0.80, 0.86, 0.06,  9,  2, 0, true),
  ('acme', 23, 'Wingtip Toys',             'wingtiptoys.example',   'Consumer goods',          22000, 52,   16, 'casey', null, null,  30, 0.50, 0.55, 0.00,  6,  3, 0, true),
  ('acme', 24, 'Consolidated Messenger',   'consolidated.example',  'Logistics',              175000, 63,   95, 'sam',   null, null, 280, 0.66, 0.70, 0.05,  7,  6, 1, true),
  ('acme', 25, 'First Up Consultants',     'firstup.example',       'Professional services',    8000, null,  2, 'casey', null, null,  15, 0.60, 0.60, 0.00, null, 1, 0, true),
  ('acme', 26, 'A. Datum Corporation',     'adatum.example',        'Research',               110000, 70, null, 'sam',   null, null, 170, 0.70, 0.72, 0.03,  8,  2, 0, true),
  ('globex', 1, 'Initech',                 'initech.example',       'Software',               140000, 72,   20, 'gus',   null, null, 200, 0.70, 0.75, 0.05,  7,  4, 1, true),
  ('globex', 2, 'Umbrella Labs',           'umbrella.example',      'Pharmaceuticals',        260000, 85,   65, 'gus',   null, 80, 450, 0.82, 1.04,  0.22,   9,  3, 0, true),
  ('globex', 3, 'Hooli',                   'hooli.example',         'Internet',                50000, 40,    4, 'gus',   75, null, 110, 0.66, 0.38, -0.12,   3, 10, 3, false),
  ('globex', 4, 'Soylent Foods',           'soylent.example',       'Food and beverage',       30000, 58,  200, null,    null, null,  45, 0.55, 0.57, 0.00,  6,  2, 0, true),
  ('globex', 5, 'Vandelay Industries',     'vandelay.example',      'Import and export',       90000, 66,  125, 'gus',   null, null, 150, 0.64, 0.69, 0.06,  7,  3, 0, true);

-- Ids and the organisation's today, once, so every later statement agrees.
alter table seed_customers add column id uuid, add column org_id uuid, add column today date;
update seed_customers sc
   set id = md5('renubu-seed:' || sc.org || ':' || sc.n)::uuid,
       org_id = case sc.org when 'acme' then '0a000000-0000-4000-8000-000000000001'::uuid
                            else '0a000000-0000-4000-8000-000000000002'::uuid end;
update seed_customers sc set today = app.organisation_today(sc.org_id);

insert into app.customers (
  id, org_id, external_id, name, domain, industry, arr, health_score, renewal_date,
  assigned_to, account_executive_id, support_engineer_id, risk_score, opportunity_score, metadata
)
select sc.id, sc.org_id, 'seed-' || sc.org || '-' || lpad(sc.n::text, 2, '0'), sc.name, sc.domain, sc.industry,
       sc.arr, sc.health, sc.today + sc.renewal_in_days,
       csm.id,
       case when sc.org = 'acme' then 'a0000000-0000-4000-8000-000000000006'::uuid end, -- Alex, account executive
       case when sc.org = 'acme' and sc.csm is not null then 'a0000000-0000-4000-8000-000000000007'::uuid end, -- Sasha, support
       sc.risk, sc.opportunity,
       jsonb_build_object('licensed_seats', sc.seats, 'segment',
         case when sc.arr >= 150000 then 'enterprise' when sc.arr >= 50000 then 'mid-market' else 'smb' end)
from seed_customers sc
left join seed_people csm on csm.handle = sc.csm;

-- ---------------------------------------------------------------------------------------
-- 5. History.
-- ---------------------------------------------------------------------------------------

-- ARR history: 12 monthly points. ARR moves in quarterly steps: the latest point equals
-- the customer's ARR, the point a year ago is arr × (1 − growth).
insert into app.arr_history (org_id, customer_id, arr, recorded_at, source, reason)
select sc.org_id, sc.id,
       round(sc.arr * (1 - sc.growth * ((k + 2) / 3) / 4.0), -2),
       ((sc.today - 1) - make_interval(months => k))::timestamp at time zone 'UTC',
       'seed',
       case when k = 0 then 'Current ARR' when k % 3 = 1 and sc.growth <> 0 then
         case when sc.growth > 0 then 'Expansion' else 'Contraction' end end
from seed_customers sc
cross join generate_series(0, 11) as k;

-- Score history: the insert trigger recorded today's scores; add the eleven months
-- before, so health, risk and opportunity have a trend. Scores drift with usage: where
-- utilisation fell, health was higher and risk lower a year ago (and the reverse).
insert into app.customer_score_history (org_id, customer_id, recorded_at, health_score, risk_score, opportunity_score, source)
select sc.org_id, sc.id,
       ((sc.today - 1) - make_interval(months => k))::timestamp at time zone 'UTC',
       case when sc.health is not null then least(100, greatest(0, sc.health - round((sc.u1 - sc.u0) * 40 * k / 11.0)))::int end,
       case when sc.risk is not null then least(100, greatest(0, sc.risk + round((sc.u1 - sc.u0) * 50 * k / 11.0)))::int end,
       case when sc.opportunity is not null then least(100, greatest(0, sc.opportunity - round((sc.u1 - sc.u0) * 40 * k / 11.0)))::int end,
       'seed'
from seed_customers sc
cross join generate_series(1, 11) as k
where sc.health is not null or sc.risk is not null or sc.opportunity is not null;

-- Usage: 52 weekly snapshots. Utilisation moves linearly from u0 (a year ago) to u1
-- (now) with a small deterministic wobble; above 1.0 means more active users than seats.
insert into app.usage_snapshots (org_id, customer_id, recorded_at, active_users, licensed_seats, metrics, source)
select sc.org_id, sc.id,
       ((sc.today - 1 - 7 * w)::timestamp + interval '6 hours') at time zone 'UTC',
       u.active_users, sc.seats,
       jsonb_build_object('weekly_logins', u.active_users * 4, 'utilisation', round(u.active_users::numeric / sc.seats, 2)),
       'seed'
from seed_customers sc
cross join generate_series(0, 51) as w
cross join lateral (
  select greatest(0, round(sc.seats * (sc.u1 + (sc.u0 - sc.u1) * w / 51.0 + ((sc.n * 7 + w * 3) % 5 - 2) * 0.01)))::int as active_users
) u;

-- Engagement: monthly meetings (every other month for manage/monitor accounts), emails
-- every two weeks, quarterly QBRs plus the next one scheduled (invest/expand), two NPS
-- responses, and the year's support tickets (the most recent ones still open).
with c as (
  select sc.*, cu.account_plan
  from seed_customers sc join app.customers cu on cu.id = sc.id
)
insert into app.engagement_events (
  org_id, customer_id, external_id, event_type, occurred_at, title, description, nps_score, ticket_status, metadata, source
)
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-meeting-' || k, 'meeting',
       ((c.today - (k * 30 + 3 + c.n % 5))::timestamp + interval '15 hours') at time zone 'UTC',
       case when k % 3 = 0 then 'Roadmap and adoption review' else 'Monthly check-in' end,
       'Regular call with the customer''s team.', null::integer, null::text,
       jsonb_build_object('duration_minutes', 30), 'seed'
from c cross join generate_series(0, 11) as k
where c.account_plan in ('invest', 'expand') or k % 2 = 0
union all
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-email-' || k, 'email',
       ((c.today - (k * 14 + 1 + c.n % 3))::timestamp + interval '10 hours') at time zone 'UTC',
       (array['Product update', 'Usage report', 'Follow-up from our call', 'Training invitation'])[k % 4 + 1],
       null, null, null, jsonb_build_object('direction', case when k % 2 = 0 then 'outbound' else 'inbound' end), 'seed'
from c cross join generate_series(0, 25) as k
union all
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-qbr-' || k, 'qbr',
       ((c.today - (k * 91 + 20 + c.n % 10))::timestamp + interval '14 hours') at time zone 'UTC',
       'Quarterly business review', 'Results of the quarter, goals for the next one.', null, null,
       jsonb_build_object('duration_minutes', 60), 'seed'
from c cross join generate_series(0, 3) as k
where c.account_plan in ('invest', 'expand')
union all
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-qbr-next', 'qbr',
       ((c.today + 25 + c.n % 40)::timestamp + interval '14 hours') at time zone 'UTC',
       'Quarterly business review (scheduled)', null, null, null,
       jsonb_build_object('duration_minutes', 60, 'scheduled', true), 'seed'
from c
where c.account_plan in ('invest', 'expand')
union all
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-nps-' || k, 'nps',
       ((c.today - case k when 0 then 15 + c.n % 20 else 170 + c.n % 10 end)::timestamp + interval '9 hours') at time zone 'UTC',
       'NPS survey response', null,
       case k when 0 then c.nps else least(10, greatest(0, c.nps + case when c.growth < 0 then 2 else -1 end)) end,
       null, '{}'::jsonb, 'seed'
from c cross join generate_series(0, 1) as k
where c.nps is not null
union all
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-ticket-' || j, 'support_ticket',
       ((c.today - (j * (330 / c.tickets) + 1 + c.n % 4))::timestamp + interval '11 hours') at time zone 'UTC',
       'Ticket ' || upper(c.org) || '-' || (1000 + c.n * 20 + j) || ': ' ||
         (array['Login issues for some users', 'Report export is slow', 'API rate limit questions', 'SSO configuration',
                'Data import failed', 'Billing question', 'Dashboard shows stale data'])[(c.n + j) % 7 + 1],
       null, null,
       case when j < c.open_tickets then 'open' else 'closed' end,
       jsonb_build_object(
         'severity', (array['low', 'normal', 'high'])[(c.n + j) % 3 + 1],
         'closed_at', case when j >= c.open_tickets then
           to_jsonb(((c.today - (j * (330 / c.tickets) + 1 + c.n % 4) + 3)::timestamp + interval '11 hours') at time zone 'UTC') end
       ),
       'seed'
from c cross join lateral generate_series(0, c.tickets - 1) as j;

-- Stakeholders: champion (or a former one who left), decision maker, technical lead, and
-- an executive sponsor for enterprise accounts. Names are picked by row number.
with c as (
  select sc.*,
         array['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Ethan', 'Mia', 'Lucas', 'Zoe', 'Mateo',
               'Chloe', 'Arjun', 'Ines', 'Kenji', 'Amara', 'Tomas', 'Priya', 'Jonas', 'Leila', 'Felix'] as firsts,
         array['Nguyen', 'Okafor', 'Schmidt', 'Rossi', 'Kowalski', 'Tanaka', 'Dubois', 'Silva', 'Haddad', 'Berg',
               'Murphy', 'Patel', 'Novak', 'Costa', 'Lindqvist', 'Moreau', 'Yilmaz', 'Brennan', 'Sato', 'Garcia'] as lasts
  from seed_customers sc
), s as (
  select c.*, r.*
  from c
  cross join lateral (values
    (1, case when c.has_champion then 'Director of Operations' else 'Former Director of Operations' end,
        case when c.has_champion then 'champion' else 'former_champion' end,
        case when c.has_champion then 'high' else 'low' end, c.has_champion, false,
        case when c.has_champion then 'Drives adoption internally; our first call for anything.'
             else 'Left the company last quarter; no replacement champion yet.' end, 2 + c.n % 10),
    (2, 'Chief Financial Officer', 'economic_buyer', 'high', false, true, 'Signs the renewal; cares about cost per active user.', 20 + c.n % 40),
    (3, 'IT Lead', 'technical_contact', 'medium', false, false, 'Owns SSO and integrations.', 5 + c.n % 20),
    (4, 'Chief Operating Officer', 'executive_sponsor', 'high', false, true, 'Executive sponsor; meets us at QBRs.', 40 + c.n % 30)
  ) as r(k, title, role, influence, is_champion, is_decision_maker, notes, contacted_days_ago)
  where r.k < 4 or c.arr >= 150000
)
insert into app.stakeholders (
  org_id, customer_id, external_id, name, email, title, role, influence, is_champion, is_decision_maker, notes, last_contacted_at
)
select s.org_id, s.id, 'seed-' || s.org || '-' || s.n || '-person-' || s.k,
       s.firsts[(s.n * 3 + s.k * 5) % 20 + 1] || ' ' || s.lasts[(s.n * 7 + s.k * 3) % 20 + 1],
       lower(s.firsts[(s.n * 3 + s.k * 5) % 20 + 1] || '.' || s.lasts[(s.n * 7 + s.k * 3) % 20 + 1]) || '@' || s.domain,
       s.title, s.role, s.influence, s.is_champion, s.is_decision_maker, s.notes,
       ((s.today - s.contacted_days_ago)::timestamp + interval '12 hours') at time zone 'UTC'
from s;

-- Contracts: the current term (ending the day before the renewal date) and the previous,
-- renewed one. A customer without a renewal date has one open-ended contract.
insert into app.contracts (
  org_id, customer_id, external_id, contract_number, status, start_date, end_date, annual_value,
  currency, auto_renew, notice_period_days, terms
)
select sc.org_id, sc.id, 'seed-' || sc.org || '-' || sc.n || '-contract-' || t.term,
       upper(sc.org) || '-' || lpad(sc.n::text, 3, '0') || '-' || t.term,
       t.status, t.start_date, t.end_date, t.annual_value, 'USD',
       sc.n % 4 = 0, (array[30, 60, 90])[sc.n % 3 + 1],
       jsonb_build_object('licensed_seats', sc.seats, 'billing', 'annual', 'payment_terms', 'net 30')
from seed_customers sc
cross join lateral (
  select * from (values
    ('current',
     case when sc.renewal_in_days is null then 'active'
          when sc.renewal_in_days < -30 then 'expired' else 'active' end,
     coalesce((sc.today + sc.renewal_in_days) - interval '1 year', sc.today - 200)::date,
     ((sc.today + sc.renewal_in_days) - 1)::date,
     sc.arr),
    ('previous', 'renewed',
     ((sc.today + sc.renewal_in_days) - interval '2 years')::date,
     ((sc.today + sc.renewal_in_days) - interval '1 year' - interval '1 day')::date,
     round(sc.arr * (1 - sc.growth), -2))
  ) as v(term, status, start_date, end_date, annual_value)
  where v.term = 'current' or sc.renewal_in_days is not null
) t;

-- Ingest webhook signing secrets (Standard Webhooks format), fixed so the demo and the
-- docs can sign events: whsec_ + base64 of 'renubu-demo-<org>-webhook-secret'.
insert into app.webhook_secrets (org_id, label, secret)
values
  ('0a000000-0000-4000-8000-000000000001', 'demo', 'whsec_' || encode(convert_to('renubu-demo-acme-webhook-secret', 'UTF8'), 'base64')),
  ('0a000000-0000-4000-8000-000000000002', 'demo', 'whsec_' || encode(convert_to('renubu-demo-globex-webhook-secret', 'UTF8'), 'base64'));

-- ---------------------------------------------------------------------------------------
-- 6. The queue: when the orchestrator exists (workflow-engine migrations), run it once per
--    organisation so the demo opens with a populated queue. Without it, the seed leaves
--    executions to the first orchestrator run.
-- ---------------------------------------------------------------------------------------

do $$
declare
  org record;
begin
  if to_regprocedure('app.run_orchestrator(uuid,date,text,uuid)') is not null then
    for org in select id from app.organisations where id in (
      '0a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000002') loop
      execute 'select app.run_orchestrator($1, app.organisation_today($1), ''manual'', null)' using org.id;
    end loop;
  elsif to_regprocedure('app.run_orchestrator(uuid,date)') is not null then
    for org in select id from app.organisations where id in (
      '0a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000002') loop
      execute 'select app.run_orchestrator($1, app.organisation_today($1))' using org.id;
    end loop;
  elsif to_regprocedure('app.run_orchestrator(uuid)') is not null then
    for org in select id from app.organisations where id in (
      '0a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000002') loop
      execute 'select app.run_orchestrator($1)' using org.id;
    end loop;
  else
    raise notice 'seed: app.run_orchestrator does not exist yet; the queue stays empty until the first orchestrator run.';
  end if;
end;
$$;

drop table seed_customers;
drop table seed_people;
