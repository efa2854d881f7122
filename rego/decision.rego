# METADATA
# title: Residency decision policy
# description: >-
#   Decides where an LLM prompt may be sent, from the caller, the request and the
#   detector's findings (never the prompt text). The entry point is
#   data.residency.decision. All tables (targets, categories, jurisdictions,
#   tenant exceptions) live in data.json under "residency".
#   Rules are tried in order RES-001 .. RES-012; the first one that applies wins.
#   Anything missing, malformed or unexpected keeps the prompt on the self-hosted
#   target: no rule sends a prompt out unless every check positively passed.
package residency

import rego.v1

# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------

# METADATA
# title: Decision
# description: >-
#   The first applicable rule wins. The chain always ends in a self-hosted (or
#   deny) result, so the decision is defined for every input.
# entrypoint: true
# custom:
#   id: RES-000
default decision := {
	"action": "deny",
	"target": "",
	"reasons": ["the policy reached no decision, so the prompt is not sent"],
	"redact": [],
}

decision := d if {
	d := unknown_target_decision # RES-001
} else := d if {
	d := requested_self_hosted_decision # RES-002
} else := d if {
	d := classification_decision # RES-003
} else := d if {
	d := incomplete_detection_decision # RES-004
} else := d if {
	d := malformed_input_decision # RES-005
} else := d if {
	d := restricted_data_decision # RES-006
} else := d if {
	d := unknown_jurisdiction_decision # RES-007
} else := d if {
	d := tenant_redact_decision # RES-008
} else := d if {
	d := personal_data_in_region_decision # RES-009
} else := d if {
	d := personal_data_rerouted_decision # RES-010
} else := d if {
	d := personal_data_local_decision # RES-011
} else := d if {
	d := no_regulated_data_decision # RES-012
} else := route_local(["no rule allowed the prompt to leave, so it stays on a self-hosted model (fail closed)"])

# ---------------------------------------------------------------------------
# The rules, in priority order
# ---------------------------------------------------------------------------

# METADATA
# title: Unknown target
# description: The requested target is not configured in data.residency.targets.
# custom:
#   id: RES-001
unknown_target_decision := {
	"action": "deny",
	"target": "",
	"reasons": [sprintf("requested target %v is not configured", [requested_target])],
	"redact": [],
} if {
	not known_target(requested_target)
}

# METADATA
# title: Self-hosted target requested
# description: A self-hosted target never takes data out of the boundary, so it is always allowed.
# custom:
#   id: RES-002
requested_self_hosted_decision := {
	"action": "route_self_hosted",
	"target": requested_target,
	"reasons": [sprintf("requested target %s is self-hosted", [requested_target])],
	"redact": [],
} if {
	self_hosted(requested_target)
}

# METADATA
# title: Classification label keeps the prompt local
# description: >-
#   A request labelled with one of data.residency.local_classifications
#   (case-insensitive) stays local.
# custom:
#   id: RES-003
classification_decision := route_local([reason]) if {
	local_classification
	reason := sprintf("the prompt is classified %s, so it stays on a self-hosted model", [classification])
}

# METADATA
# title: Detection incomplete
# description: >-
#   If detection did not report complete == true (false, missing, or not a
#   boolean), nobody knows what the prompt holds, so it stays local.
# custom:
#   id: RES-004
incomplete_detection_decision := route_local([
	"detection did not report completion, so the prompt stays on a self-hosted model",
]) if {
	not detection_complete
}

# METADATA
# title: Input missing or malformed
# description: >-
#   findings must be a list of objects, each with a non-empty string type and a
#   category listed in data.json. caller, request and request.labels, when
#   present, must be objects; caller.jurisdiction, caller.tenant and
#   labels.classification, when present, must be strings. Anything else stays local.
# custom:
#   id: RES-005
malformed_input_decision := route_local(reasons) if {
	count(malformed_fields) > 0
	reasons := [sprintf("input field %s is missing or malformed, so the prompt stays on a self-hosted model", [field]) |
		some field in sort(malformed_fields)
	]
}

# METADATA
# title: Restricted data never leaves
# description: >-
#   Findings in data.residency.restricted_categories (secrets, card data,
#   government IDs, health data, special-category data) never leave the boundary.
# custom:
#   id: RES-006
restricted_data_decision := route_local(reasons) if {
	count(restricted_found) > 0
	reasons := [sprintf("%s (%s) never leaves the boundary", [category_label(c), c]) |
		some c in sort(restricted_found)
	]
}

# METADATA
# title: Personal data of an unknown jurisdiction
# description: >-
#   Personal data (data.residency.personal_categories) of a caller whose
#   jurisdiction is empty or in no table stays local (fail closed).
# custom:
#   id: RES-007
unknown_jurisdiction_decision := route_local([reason]) if {
	count(personal_found) > 0
	not known_jurisdiction
	reason := sprintf("%s of a caller with %s stays on a self-hosted model", [personal_text, unknown_jurisdiction_text])
}

# METADATA
# title: Tenant exception - redact personal data
# description: >-
#   A tenant with {"personal_data": "redact"} in data.residency.tenants has its
#   personal entity types redacted; the prompt then goes to the requested target.
# custom:
#   id: RES-008
tenant_redact_decision := {
	"action": "redact",
	"target": requested_target,
	"reasons": [sprintf("tenant %s redacts personal data (%s) before sending to %s", [
		caller_tenant, concat(", ", personal_types), requested_target,
	])],
	"redact": personal_types,
} if {
	count(personal_found) > 0
	known_jurisdiction
	tenant_exception == "redact"
	may_leave_boundary(requested_target)
	count(personal_types) > 0
}

# METADATA
# title: Personal data, requested target in an allowed region
# description: >-
#   Personal data may go to the requested external target when its region is
#   allowed for the caller's jurisdiction (data.residency.personal_data_regions).
# custom:
#   id: RES-009
personal_data_in_region_decision := allow_external(requested_target, [reason]) if {
	count(personal_found) > 0
	personal_data_may_go(requested_target)
	reason := sprintf("%s of a caller in %s may be processed in %s: sending to %s", [
		personal_text, jurisdiction_text, target_region(requested_target), requested_target,
	])
}

# METADATA
# title: Personal data, rerouted to an allowed region
# description: >-
#   Otherwise the first target of data.residency.reroute_order that is external
#   and in an allowed region receives the prompt instead.
# custom:
#   id: RES-010
personal_data_rerouted_decision := allow_external(target, [reason]) if {
	count(personal_found) > 0
	not personal_data_may_go(requested_target)
	target := reroute_target
	reason := sprintf("%s of a caller in %s may only be processed in %s: rerouted from %s (%s) to %s (%s)", [
		personal_text, jurisdiction_text, allowed_regions_text,
		requested_target, target_region(requested_target), target, target_region(target),
	])
}

# METADATA
# title: Personal data, no allowed external target
# description: No external target is in an allowed region, so the prompt stays local.
# custom:
#   id: RES-011
personal_data_local_decision := route_local([reason]) if {
	count(personal_found) > 0
	reason := sprintf("%s of a caller in %s may only be processed in %s and no external target there is available", [
		personal_text, jurisdiction_text, allowed_regions_text,
	])
}

# METADATA
# title: No regulated data
# description: >-
#   Only unregulated findings (such as QUASI) or none at all: the prompt goes to
#   the requested target as it is.
# custom:
#   id: RES-012
no_regulated_data_decision := allow_external(requested_target, [
	sprintf("no regulated data found: sending to %s", [requested_target]),
]) if {
	count(personal_found) == 0
	may_leave_boundary(requested_target)
}

# ---------------------------------------------------------------------------
# Decision builders
# ---------------------------------------------------------------------------

allow_external(target, reasons) := {
	"action": "allow_external",
	"target": target,
	"reasons": reasons,
	"redact": [],
}

# Route to the configured self-hosted target; deny when none is configured.
route_local(reasons) := {
	"action": "route_self_hosted",
	"target": local_target,
	"reasons": reasons,
	"redact": [],
} if {
	is_string(local_target)
} else := {
	"action": "deny",
	"target": "",
	"reasons": array.concat(reasons, ["no self-hosted target is configured, so the prompt is not sent"]),
	"redact": [],
}

# ---------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------

# The target the caller asked for; "" or missing means the default target.
raw_requested_target := t if {
	t := input.request.requested_target
} else := ""

requested_target := raw_requested_target if {
	raw_requested_target != ""
} else := object.get(data.residency, "default_target", "")

self_hosted(name) if data.residency.targets[name].self_hosted == true

external(name) if data.residency.targets[name].self_hosted == false

known_target(name) if self_hosted(name)

known_target(name) if external(name)

target_region(name) := data.residency.targets[name].region

local_target := data.residency.self_hosted_target if {
	self_hosted(data.residency.self_hosted_target)
}

# ---------------------------------------------------------------------------
# Request labels and detection status
# ---------------------------------------------------------------------------

classification := lower(trim_space(c)) if {
	c := input.request.labels.classification
	is_string(c)
}

local_classification if {
	some c in data.residency.local_classifications
	is_string(c)
	lower(c) == classification
}

detection_complete if input.detection.complete == true

# ---------------------------------------------------------------------------
# Input shape: a field that is present must have the right type
# ---------------------------------------------------------------------------

malformed_fields contains "findings" if not findings_readable

malformed_fields contains "caller" if {
	c := input.caller
	not is_object(c)
}

malformed_fields contains "request" if {
	r := input.request
	not is_object(r)
}

malformed_fields contains "request.labels" if {
	l := input.request.labels
	not is_object(l)
}

malformed_fields contains sprintf("caller.%s", [field]) if {
	some field in ["jurisdiction", "tenant"]
	value := input.caller[field]
	not is_string(value)
}

malformed_fields contains "request.labels.classification" if {
	c := input.request.labels.classification
	not is_string(c)
}

# ---------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------

known_categories := {c |
	some list in [
		data.residency.restricted_categories,
		data.residency.personal_categories,
		data.residency.unregulated_categories,
	]
	some c in list
}

findings_readable if {
	is_array(input.findings)
	every f in input.findings {
		readable_finding(f)
	}
}

readable_finding(f) if {
	is_object(f)
	is_string(f.type)
	f.type != ""
	f.category in known_categories
}

# The findings that are objects (never errors on a malformed list).
finding_objects := [f | some f in input.findings; is_object(f)] if {
	is_array(input.findings)
} else := []

restricted_found := {f.category |
	some f in finding_objects
	f.category in data.residency.restricted_categories
}

personal_found := {f.category |
	some f in finding_objects
	f.category in data.residency.personal_categories
}

# Sorted distinct entity types of personal findings (what a redaction replaces).
personal_types := sort({f.type |
	some f in finding_objects
	f.category in data.residency.personal_categories
	is_string(f.type)
})

category_label(c) := object.get(data.residency.category_labels, c, c)

# e.g. "personal data (PII, FINANCIAL)"
personal_text := sprintf("personal data (%s)", [concat(", ", sort(personal_found))])

# ---------------------------------------------------------------------------
# Jurisdictions
# ---------------------------------------------------------------------------

caller_jurisdiction := upper(trim_space(j)) if {
	j := input.caller.jurisdiction
	is_string(j)
} else := ""

caller_tenant := t if {
	t := input.caller.tenant
	is_string(t)
} else := ""

tenant_exception := data.residency.tenants[caller_tenant].personal_data

# Every regime that governs the caller: its own code when it has a region rule,
# and every group (e.g. "EU") that lists it as a member.
caller_regimes contains caller_jurisdiction if {
	caller_jurisdiction != ""
	is_array(data.residency.personal_data_regions[caller_jurisdiction])
}

caller_regimes contains group if {
	some group, members in data.residency.jurisdiction_groups
	caller_jurisdiction != ""
	caller_jurisdiction in members
}

# Known when at least one regime applies and every applicable regime has a region rule.
known_jurisdiction if {
	count(caller_regimes) > 0
	every regime in caller_regimes {
		is_array(data.residency.personal_data_regions[regime])
	}
}

# Regions allowed by EVERY regime that governs the caller.
allowed_regions contains region if {
	known_jurisdiction
	some regime in caller_regimes
	some region in data.residency.personal_data_regions[regime]
	every other in caller_regimes {
		region in data.residency.personal_data_regions[other]
	}
}

allowed_regions_text := concat(", ", sort(allowed_regions)) if {
	count(allowed_regions) > 0
} else := "no region"

# "DE (EU)" for a member state, "EU" or "US" when the code is its own regime.
jurisdiction_text := caller_jurisdiction if {
	caller_regimes == {caller_jurisdiction}
} else := sprintf("%s (%s)", [caller_jurisdiction, concat(", ", sort(caller_regimes - {caller_jurisdiction}))])

unknown_jurisdiction_text := "no stated jurisdiction" if {
	caller_jurisdiction == ""
} else := sprintf("unknown jurisdiction %s", [caller_jurisdiction])

# ---------------------------------------------------------------------------
# Guards for every external decision
# ---------------------------------------------------------------------------

# The prompt may leave the boundary towards `name` only when every check passed.
may_leave_boundary(name) if {
	external(name)
	detection_complete
	count(malformed_fields) == 0
	not local_classification
	count(restricted_found) == 0
}

# Personal data may additionally go to `name` only when its region is allowed.
personal_data_may_go(name) if {
	may_leave_boundary(name)
	known_jurisdiction
	target_region(name) in allowed_regions
}

# The first target of reroute_order that may receive this personal data.
reroute_target := candidates[0] if {
	candidates := [name |
		some name in data.residency.reroute_order
		personal_data_may_go(name)
	]
}
