# Tests for data.residency.decision. Every test compares the WHOLE decision.
# Names: test_<action>_<situation>.
package residency_test

import rego.v1

import data.residency

# ---------------------------------------------------------------------------
# Input builders
# ---------------------------------------------------------------------------

caller(jurisdiction) := {
	"service": "billing",
	"tenant": "acme-eu",
	"user": "u-93f1",
	"jurisdiction": jurisdiction,
	"purpose": "support",
}

request(target) := {
	"id": "req-1",
	"requested_target": target,
	"labels": {"classification": "internal"},
	"message_count": 1,
}

finding(type, category) := {
	"type": type,
	"category": category,
	"score": 1.0,
	"message": 0,
	"role": "user",
	"start": 0,
	"end": 10,
}

summary(findings) := {
	"categories": sort({f.category | some f in findings}),
	"types": {t: n | some f in findings; t := f.type; n := count([g | some g in findings; g.type == t])},
}

make_input(jurisdiction, target, findings) := {
	"caller": caller(jurisdiction),
	"request": request(target),
	"findings": findings,
	"summary": summary(findings),
	"detection": {"complete": true},
}

email := finding("EMAIL_ADDRESS", "PII")

phone := finding("PHONE_NUMBER", "PII")

iban := finding("IBAN_CODE", "FINANCIAL")

card := finding("CREDIT_CARD", "PCI")

api_key := finding("API_KEY", "SECRET")

diagnosis := finding("MEDICAL_CONDITION", "PHI")

date := finding("DATE_TIME", "QUASI")

city := finding("LOCATION", "QUASI")

stays_local(reason) := {
	"action": "route_self_hosted",
	"target": "local",
	"reasons": [reason],
	"redact": [],
}

external(target, reason) := {
	"action": "allow_external",
	"target": target,
	"reasons": [reason],
	"redact": [],
}

detection_reason := "detection did not report completion, so the prompt stays on a self-hosted model"

malformed(field) := sprintf("input field %s is missing or malformed, so the prompt stays on a self-hosted model", [field])

findings_reason := malformed("findings")

clean_us := external("hosted-us", "no regulated data found: sending to hosted-us")

eu_email_rerouted := external(
	"hosted-eu",
	"personal data (PII) of a caller in EU may only be processed in eu: rerouted from hosted-us (us) to hosted-eu (eu)",
)

# ---------------------------------------------------------------------------
# RES-001 unknown target
# ---------------------------------------------------------------------------

test_deny_unknown_target if {
	d := residency.decision with input as make_input("EU", "hosted-mars", [])
	d == {
		"action": "deny",
		"target": "",
		"reasons": ["requested target hosted-mars is not configured"],
		"redact": [],
	}
}

test_deny_non_string_target if {
	d := residency.decision with input as make_input("US", 5, [])
	d == {
		"action": "deny",
		"target": "",
		"reasons": ["requested target 5 is not configured"],
		"redact": [],
	}
}

test_deny_unknown_target_even_when_clean_and_local_would_apply if {
	inp := json.patch(make_input("US", "nope", [card]), [{"op": "replace", "path": "/detection/complete", "value": false}])
	d := residency.decision with input as inp
	d.action == "deny"
	d.target == ""
}

# ---------------------------------------------------------------------------
# RES-002 self-hosted target requested
# ---------------------------------------------------------------------------

test_route_self_hosted_requested_local if {
	d := residency.decision with input as make_input("EU", "local", [card, email])
	d == stays_local("requested target local is self-hosted")
}

# ---------------------------------------------------------------------------
# Default target
# ---------------------------------------------------------------------------

test_allow_external_empty_target_means_default if {
	d := residency.decision with input as make_input("US", "", [date])
	d == clean_us
}

test_allow_external_missing_target_means_default if {
	inp := json.remove(make_input("US", "", []), ["request/requested_target"])
	d := residency.decision with input as inp
	d == clean_us
}

test_allow_external_default_target_from_data if {
	d := residency.decision with input as make_input("US", "", [])
		with data.residency.default_target as "hosted-eu"
	d == external("hosted-eu", "no regulated data found: sending to hosted-eu")
}

# ---------------------------------------------------------------------------
# RES-003 classification label
# ---------------------------------------------------------------------------

labelled(classification) := json.patch(
	make_input("US", "hosted-us", []),
	[{"op": "replace", "path": "/request/labels/classification", "value": classification}],
)

test_route_self_hosted_classification_confidential if {
	d := residency.decision with input as labelled("confidential")
	d == stays_local("the prompt is classified confidential, so it stays on a self-hosted model")
}

test_route_self_hosted_classification_any_case if {
	d := residency.decision with input as labelled(" ConFIDential ")
	d == stays_local("the prompt is classified confidential, so it stays on a self-hosted model")
}

test_route_self_hosted_classification_restricted_upper_case if {
	d := residency.decision with input as labelled("RESTRICTED")
	d == stays_local("the prompt is classified restricted, so it stays on a self-hosted model")
}

test_route_self_hosted_classification_not_a_string if {
	d := residency.decision with input as labelled(["confidential"])
	d == stays_local(malformed("request.labels.classification"))
}

test_allow_external_classification_public if {
	d := residency.decision with input as labelled("public")
	d == clean_us
}

test_allow_external_labels_missing if {
	inp := json.remove(make_input("US", "hosted-us", []), ["request/labels"])
	d := residency.decision with input as inp
	d == clean_us
}

# ---------------------------------------------------------------------------
# RES-004 detection incomplete (fail closed)
# ---------------------------------------------------------------------------

test_route_self_hosted_detection_incomplete if {
	inp := json.patch(make_input("US", "hosted-us", []), [{"op": "replace", "path": "/detection/complete", "value": false}])
	d := residency.decision with input as inp
	d == stays_local(detection_reason)
}

test_route_self_hosted_detection_missing if {
	inp := json.remove(make_input("US", "hosted-us", []), ["detection"])
	d := residency.decision with input as inp
	d == stays_local(detection_reason)
}

test_route_self_hosted_detection_complete_missing if {
	inp := json.patch(make_input("US", "hosted-us", []), [{"op": "replace", "path": "/detection", "value": {}}])
	d := residency.decision with input as inp
	d == stays_local(detection_reason)
}

test_route_self_hosted_detection_complete_not_boolean if {
	inp := json.patch(make_input("US", "hosted-us", []), [{"op": "replace", "path": "/detection/complete", "value": "true"}])
	d := residency.decision with input as inp
	d == stays_local(detection_reason)
}

# ---------------------------------------------------------------------------
# RES-005 findings missing or malformed
# ---------------------------------------------------------------------------

test_route_self_hosted_findings_missing if {
	inp := json.remove(make_input("US", "hosted-us", []), ["findings"])
	d := residency.decision with input as inp
	d == stays_local(findings_reason)
}

test_route_self_hosted_findings_not_a_list if {
	inp := json.patch(make_input("US", "hosted-us", []), [{"op": "replace", "path": "/findings", "value": "EMAIL_ADDRESS"}])
	d := residency.decision with input as inp
	d == stays_local(findings_reason)
}

test_route_self_hosted_finding_not_an_object if {
	d := residency.decision with input as make_input("US", "hosted-us", ["PII"])
	d == stays_local(findings_reason)
}

test_route_self_hosted_finding_unknown_category if {
	d := residency.decision with input as make_input("US", "hosted-us", [finding("BIOMETRIC", "BIOMETRIC")])
	d == stays_local(findings_reason)
}

test_route_self_hosted_finding_without_type if {
	d := residency.decision with input as make_input("US", "hosted-us", [{"category": "PII"}])
	d == stays_local(findings_reason)
}

test_route_self_hosted_labels_not_an_object if {
	inp := json.patch(make_input("US", "hosted-us", []), [{"op": "replace", "path": "/request/labels", "value": "confidential"}])
	d := residency.decision with input as inp
	d == stays_local(malformed("request.labels"))
}

test_route_self_hosted_request_not_an_object if {
	inp := json.patch(make_input("US", "hosted-us", []), [{"op": "replace", "path": "/request", "value": ["hosted-us"]}])
	d := residency.decision with input as inp
	d == stays_local(malformed("request"))
}

test_route_self_hosted_caller_not_an_object if {
	inp := json.patch(make_input("US", "hosted-us", []), [{"op": "replace", "path": "/caller", "value": "US"}])
	d := residency.decision with input as inp
	d == stays_local(malformed("caller"))
}

test_route_self_hosted_caller_fields_not_strings if {
	inp := json.patch(make_input("US", "hosted-us", [email]), [
		{"op": "replace", "path": "/caller/jurisdiction", "value": null},
		{"op": "replace", "path": "/caller/tenant", "value": ["acme-redact"]},
	])
	d := residency.decision with input as inp
	d == {
		"action": "route_self_hosted",
		"target": "local",
		"reasons": [malformed("caller.jurisdiction"), malformed("caller.tenant")],
		"redact": [],
	}
}

# ---------------------------------------------------------------------------
# RES-006 restricted categories never leave
# ---------------------------------------------------------------------------

test_route_self_hosted_eu_card_number if {
	d := residency.decision with input as make_input("EU", "hosted-us", [card])
	d == stays_local("payment card data (PCI) never leaves the boundary")
}

test_route_self_hosted_card_number_requested_eu if {
	d := residency.decision with input as make_input("EU", "hosted-eu", [email, card])
	d == stays_local("payment card data (PCI) never leaves the boundary")
}

test_route_self_hosted_restricted_reasons_name_each_category if {
	d := residency.decision with input as make_input("US", "hosted-us", [email, diagnosis, api_key, api_key])
	d == {
		"action": "route_self_hosted",
		"target": "local",
		"reasons": [
			"health data (PHI) never leaves the boundary",
			"secrets and credentials (SECRET) never leaves the boundary",
		],
		"redact": [],
	}
}

test_route_self_hosted_restricted_for_redact_tenant if {
	inp := json.patch(make_input("EU", "hosted-us", [email, card]), [{"op": "replace", "path": "/caller/tenant", "value": "acme-redact"}])
	d := residency.decision with input as inp
	d == stays_local("payment card data (PCI) never leaves the boundary")
}

# ---------------------------------------------------------------------------
# RES-007 personal data of an unknown jurisdiction (fail closed)
# ---------------------------------------------------------------------------

test_route_self_hosted_missing_jurisdiction_pii if {
	d := residency.decision with input as make_input("", "hosted-us", [email])
	d == stays_local("personal data (PII) of a caller with no stated jurisdiction stays on a self-hosted model")
}

test_route_self_hosted_missing_jurisdiction_field_pii if {
	inp := json.remove(make_input("US", "hosted-us", [email]), ["caller/jurisdiction"])
	d := residency.decision with input as inp
	d == stays_local("personal data (PII) of a caller with no stated jurisdiction stays on a self-hosted model")
}

test_route_self_hosted_missing_caller_pii if {
	inp := json.remove(make_input("US", "hosted-us", [iban]), ["caller"])
	d := residency.decision with input as inp
	d == stays_local("personal data (FINANCIAL) of a caller with no stated jurisdiction stays on a self-hosted model")
}

test_route_self_hosted_unknown_jurisdiction_pii if {
	d := residency.decision with input as make_input("ZZ", "hosted-us", [email])
	d == stays_local("personal data (PII) of a caller with unknown jurisdiction ZZ stays on a self-hosted model")
}

test_allow_external_unknown_jurisdiction_clean_prompt if {
	d := residency.decision with input as make_input("", "hosted-us", [date])
	d == clean_us
}

# ---------------------------------------------------------------------------
# RES-008 tenant exception: redact
# ---------------------------------------------------------------------------

test_redact_tenant_exception if {
	inp := json.patch(
		make_input("EU", "hosted-us", [phone, email, iban, email, city]),
		[{"op": "replace", "path": "/caller/tenant", "value": "acme-redact"}],
	)
	d := residency.decision with input as inp
	d == {
		"action": "redact",
		"target": "hosted-us",
		"reasons": ["tenant acme-redact redacts personal data (EMAIL_ADDRESS, IBAN_CODE, PHONE_NUMBER) before sending to hosted-us"],
		"redact": ["EMAIL_ADDRESS", "IBAN_CODE", "PHONE_NUMBER"],
	}
}

test_route_self_hosted_redact_tenant_unknown_jurisdiction if {
	inp := json.patch(
		make_input("", "hosted-us", [email]),
		[{"op": "replace", "path": "/caller/tenant", "value": "acme-redact"}],
	)
	d := residency.decision with input as inp
	d == stays_local("personal data (PII) of a caller with no stated jurisdiction stays on a self-hosted model")
}

test_allow_external_redact_tenant_clean_prompt if {
	inp := json.patch(
		make_input("EU", "hosted-us", [date]),
		[{"op": "replace", "path": "/caller/tenant", "value": "acme-redact"}],
	)
	d := residency.decision with input as inp
	d == clean_us
}

# ---------------------------------------------------------------------------
# RES-009 / RES-010 / RES-011 personal data and regions
# ---------------------------------------------------------------------------

test_allow_external_eu_email_rerouted_to_eu if {
	d := residency.decision with input as make_input("EU", "hosted-us", [email])
	d == eu_email_rerouted
}

test_allow_external_de_caller_treated_as_eu if {
	d := residency.decision with input as make_input("DE", "hosted-us", [email])
	d == external(
		"hosted-eu",
		"personal data (PII) of a caller in DE (EU) may only be processed in eu: rerouted from hosted-us (us) to hosted-eu (eu)",
	)
}

test_allow_external_eea_caller_lower_case if {
	d := residency.decision with input as make_input(" no ", "hosted-us", [email])
	d == external(
		"hosted-eu",
		"personal data (PII) of a caller in NO (EU) may only be processed in eu: rerouted from hosted-us (us) to hosted-eu (eu)",
	)
}

test_allow_external_eu_email_requested_eu if {
	d := residency.decision with input as make_input("EU", "hosted-eu", [email, date])
	d == external("hosted-eu", "personal data (PII) of a caller in EU may be processed in eu: sending to hosted-eu")
}

test_allow_external_us_pii if {
	d := residency.decision with input as make_input("US", "hosted-us", [email, iban])
	d == external("hosted-us", "personal data (FINANCIAL, PII) of a caller in US may be processed in us: sending to hosted-us")
}

test_allow_external_gb_financial_rerouted if {
	d := residency.decision with input as make_input("GB", "", [iban])
	d == external(
		"hosted-eu",
		"personal data (FINANCIAL) of a caller in GB may only be processed in eu: rerouted from hosted-us (us) to hosted-eu (eu)",
	)
}

test_route_self_hosted_eu_pii_without_eu_target if {
	d := residency.decision with input as make_input("EU", "hosted-us", [email])
		with data.residency.targets as {
			"hosted-us": data.residency.targets["hosted-us"],
			"local": data.residency.targets["local"],
		}
	d == stays_local("personal data (PII) of a caller in EU may only be processed in eu and no external target there is available")
}

test_route_self_hosted_eu_pii_eu_target_not_in_reroute_order if {
	d := residency.decision with input as make_input("EU", "hosted-us", [email])
		with data.residency.reroute_order as ["hosted-us"]
	d == stays_local("personal data (PII) of a caller in EU may only be processed in eu and no external target there is available")
}

test_allow_external_own_rule_and_group_both_apply if {
	# A member state with its own rule must satisfy its own AND the group's regions.
	d := residency.decision with input as make_input("FR", "hosted-us", [email])
		with data.residency.personal_data_regions.FR as ["us", "eu"]
	d == external(
		"hosted-eu",
		"personal data (PII) of a caller in FR (EU) may only be processed in eu: rerouted from hosted-us (us) to hosted-eu (eu)",
	)
}

# ---------------------------------------------------------------------------
# RES-012 no regulated data
# ---------------------------------------------------------------------------

test_allow_external_clean_prompt if {
	d := residency.decision with input as make_input("EU", "hosted-us", [])
	d == clean_us
}

test_allow_external_quasi_only if {
	d := residency.decision with input as make_input("EU", "hosted-us", [date, city])
	d == clean_us
}

# ---------------------------------------------------------------------------
# Malformed input and configuration never yield an external target
# ---------------------------------------------------------------------------

test_route_self_hosted_empty_input if {
	d := residency.decision with input as {}
	d == stays_local(detection_reason)
}

test_route_self_hosted_input_not_an_object if {
	d := residency.decision with input as "hello"
	d == stays_local(detection_reason)
}

test_route_self_hosted_only_detection_given if {
	d := residency.decision with input as {"detection": {"complete": true}}
	d == stays_local(findings_reason)
}

test_deny_when_no_self_hosted_target_configured if {
	d := residency.decision with input as make_input("EU", "hosted-us", [card])
		with data.residency.self_hosted_target as "hosted-eu"
	d == {
		"action": "deny",
		"target": "",
		"reasons": [
			"payment card data (PCI) never leaves the boundary",
			"no self-hosted target is configured, so the prompt is not sent",
		],
		"redact": [],
	}
}
