"""TG_AWS_1 names the event sources a trail leaves out and the controls that need them: CloudTrail's
`exclude_management_event_sources` (KMS, RDS Data API) and advanced selectors on eventSource, read from Terraform and
CloudFormation alike."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.cloudformation.test_builder import only, template
from tests.test_analysis import TRAIL, compliant, finding
from trailguard.findings import FAILED, PASSED
from trailguard.model import AdvancedEventSelector, BasicEventSelector, FieldSelector
from trailguard.rules.analysis import analyse
from trailguard.terraform.roots import root_model

MANAGEMENT = FieldSelector("eventCategory", ("Management",))


def _advanced(*conditions: FieldSelector) -> AdvancedEventSelector:
    return AdvancedEventSelector("management events", (MANAGEMENT, *conditions))


@pytest.mark.parametrize("selectors, left_out, needing", [
    (dict(basic_selectors=(BasicEventSelector(True, "All", ("kms.amazonaws.com",)),)),
     "from kms.amazonaws.com,", "unauthorized-api-calls, root-usage, cmk-disable-or-deletion must see"),
    (dict(advanced_selectors=(_advanced(FieldSelector("eventSource", (), ("rdsdata.amazonaws.com",))),)),
     "from rdsdata.amazonaws.com,", "which unauthorized-api-calls, root-usage must see"),
    (dict(advanced_selectors=(_advanced(FieldSelector("eventSource", ("signin.amazonaws.com",))),)),
     "from every event source but signin.amazonaws.com,", "iam-policy-changes"),
])
def test_a_left_out_source_fails_naming_the_controls_that_need_it(selectors, left_out, needing):
    check = finding(compliant(trail=replace(TRAIL, **selectors)), "TG_AWS_1")
    assert check.result == FAILED and len(check.reasons) == 1
    assert left_out in check.reasons[0] and needing in check.reasons[0]
    assert "console-signin-without-mfa" not in check.reasons[0] or "but signin" not in check.reasons[0]


def test_a_source_one_selector_leaves_out_and_another_records_is_recorded():
    both = (BasicEventSelector(True, "All", ("kms.amazonaws.com",)), BasicEventSelector(True, "All"))
    assert finding(compliant(trail=replace(TRAIL, basic_selectors=both)), "TG_AWS_1").result == PASSED


def test_an_unreadable_list_of_excluded_sources_fails_closed(tmp_path: Path):
    (tmp_path / "main.tf").write_text('''variable "excluded" {
  type = list(string)
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "logs"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "arn:aws:logs:us-east-1:111122223333:log-group:trail:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/trail"

  event_selector {
    read_write_type                  = "All"
    include_management_events        = true
    exclude_management_event_sources = var.excluded
  }
}
''', encoding="utf-8")
    (trail,) = [f for f in analyse(root_model(tmp_path)) if f.check_id == "TG_AWS_1"]
    assert trail.result == FAILED
    assert "the event sources the trail excludes cannot be resolved: variable \"excluded\"" in trail.reasons[0]


def test_terraform_reads_the_excluded_sources(tmp_path: Path):
    (tmp_path / "main.tf").write_text('''resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "logs"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "arn:aws:logs:us-east-1:111122223333:log-group:trail:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/trail"

  event_selector {
    read_write_type                  = "All"
    include_management_events        = true
    exclude_management_event_sources = ["kms.amazonaws.com"]
  }
}
''', encoding="utf-8")
    (selector,) = root_model(tmp_path).trails["aws_cloudtrail.main"].basic_selectors
    assert selector.excluded_sources == ("kms.amazonaws.com",)


def test_cloudformation_reads_the_excluded_sources():
    body = template()
    body["Resources"]["Trail"]["Properties"]["EventSelectors"] = [
        {"IncludeManagementEvents": True, "ReadWriteType": "All",
         "ExcludeManagementEventSources": ["kms.amazonaws.com", "rdsdata.amazonaws.com"]}]
    (selector,) = only(body).trails["Trail"].basic_selectors
    assert selector.excluded_sources == ("kms.amazonaws.com", "rdsdata.amazonaws.com")
