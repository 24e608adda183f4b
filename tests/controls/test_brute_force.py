"""The judge against brute force for every control: random patterns over the fields the controls read, random
events CloudTrail could write, and CONTROLS.md's target sets written again independently (tests/controls/oracles.py).

What must hold: every reported event is real and proves its kind; an event outside the control's sets that the
pattern counts means the verdict reports noise; a missed event that is not pinned by one identity the pattern
names means the verdict reports a miss.
"""

import copy
import random

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.budget import share_of_examples
from tests.controls.oracles import ORACLES
from tests.pattern.test_judge import get
from trailguard.controls import by_slug, judge
from trailguard.pattern.cloudtrail import IDENTITIES, incoherent
from trailguard.pattern.evaluator import matches

OTHER_NAMES = ["GetObject", "CreateUser", "DescribeInstances", "Decrypt", "ListBuckets", "AssumeRole"]
OTHER_SOURCES = ["apigateway.amazonaws.com", "autoscaling.amazonaws.com", "organizations.amazonaws.com",
                 "iam.amazonaws.com", "ec2.amazonaws.com", "s3.amazonaws.com"]
IDENTITY_TYPES = ["IAMUser", "Root", "AssumedRole", "AWSService"]


def control_names(slug):
    """The eventName values a control's signals name (its calls, or ConsoleLogin)."""
    control = by_slug(slug)
    names = [name for signal in control.signals if signal.path == ("eventName",) for name in signal.names]
    return names or ["ConsoleLogin"]


def control_source(slug):
    control = by_slug(slug)
    return next((name for signal in control.signals if signal.path == ("eventSource",) for name in signal.names),
                "signin.amazonaws.com")


def atoms(slug):
    names = control_names(slug)
    picked = names[:3] + names[-2:] + ["ConsoleLogin", "GetObject"]
    values = {
        "eventName": [f'"{name}"' for name in picked] + ['"Create*"', '"*Policy"', '"Delete*"'],
        "eventSource": [f'"{control_source(slug)}"', '"apigateway.amazonaws.com"', '"*.amazonaws.com"'],
        "errorCode": ['"AccessDenied*"', '"*"'],
        "userIdentity.type": ['"IAMUser"', '"Root"'],
        "userIdentity.invokedBy": ['"cloudformation.amazonaws.com"'],
        "userIdentity.userName": ['"alice"', '"bot"'],
        "eventType": ['"AwsServiceEvent"', '"AwsConsoleSignIn"'],
        "additionalEventData.MFAUsed": ['"Yes"', '"No"'],
        "responseElements.ConsoleLogin": ['"Success"'],
        "errorMessage": ['"Failed authentication"', '"*"'],
    }
    found = [f"$.{field} {op} {value}" for field, options in values.items() for value in options for op in ("=", "!=")]
    found += [f"$.{field} NOT EXISTS" for field in ("errorCode", "userIdentity.invokedBy", "errorMessage",
                                                     "additionalEventData.MFAUsed")]
    return found


def trees(slug):
    return st.recursive(
        st.sampled_from(atoms(slug)),
        lambda children: st.tuples(st.sampled_from(["&&", "||"]), st.lists(children, min_size=2, max_size=4)),
        max_leaves=7)


def render(tree):
    if isinstance(tree, str):
        return tree
    op, items = tree
    return "(" + f" {op} ".join(render(item) for item in items) + ")"


def leaves(tree):
    return [tree] if isinstance(tree, str) else [leaf for item in tree[1] for leaf in leaves(item)]


def random_event(rng, slug):
    """A random event CloudTrail could write, biased toward the control's own calls."""
    names = control_names(slug)
    while True:
        name = rng.choice(names + OTHER_NAMES + ["ConsoleLogin"])
        source = rng.choice([control_source(slug)] * 3 + OTHER_SOURCES + ["signin.amazonaws.com"])
        if name == "ConsoleLogin":
            source = "signin.amazonaws.com"
        event = {"eventSource": source, "eventName": name, "sourceIPAddress": "203.0.113.10",
                 "eventType": rng.choice(["AwsApiCall", "AwsServiceEvent", "AwsConsoleSignIn"]),
                 "userIdentity": copy.deepcopy(IDENTITIES[rng.choice(IDENTITY_TYPES)])}
        optional = {
            "errorCode": [None, "AccessDenied", "ThrottlingException"],
            "errorMessage": [None, "Failed authentication", "No username found in supplied account"],
            "additionalEventData": [None, {"MFAUsed": "Yes"}, {"MFAUsed": "No"}, {"MFAUsed": "YES"}, {}],
            "responseElements": [None, {"ConsoleLogin": "Success"}, {"ConsoleLogin": "Failure"}],
        }
        for field, choices in optional.items():
            value = rng.choice(choices)
            if value is not None:
                event[field] = value
        identity = event["userIdentity"]
        if rng.random() < 0.3:
            identity["invokedBy"] = rng.choice(["cloudformation.amazonaws.com", "AWS Internal"])
        if rng.random() < 0.2:
            identity["userName"] = "bot"
        # CloudTrail always writes responseElements (Optional: False); a sign-in's holds its outcome.
        if incoherent(event) is None and (name != "ConsoleLogin" or "responseElements" in event):
            return event


def identity_pins(tree):
    """(path, value) of each exact userIdentity comparison that names one identity (not its type)."""
    found = set()
    for leaf in leaves(tree):
        for field in ("userIdentity.userName", "userIdentity.invokedBy"):
            if leaf.startswith(f"$.{field} ") and "NOT EXISTS" not in leaf:
                found.add((tuple(field.split(".")), leaf.rsplit(" ", 1)[1].strip('"')))
    return found


CASES = sorted(ORACLES)


@pytest.mark.parametrize("slug,version", CASES)
def test_the_judge_agrees_with_brute_force(slug, version):
    must, dont_care = ORACLES[(slug, version)]

    @settings(max_examples=share_of_examples(0.12), suppress_health_check=[HealthCheck.too_slow],
              phases=[Phase.explicit, Phase.reuse, Phase.generate], database=None)
    @given(trees(slug), st.integers(0, 2**32))
    def check(tree, seed):
        rng = random.Random(seed)
        pattern = "{ " + render(tree) + " }"
        verdict = judge(pattern, slug, version)
        assert verdict.status in ("PASS", "FAIL"), (pattern, verdict)
        for example in verdict.counterexamples:
            event = example.event
            assert incoherent(event) is None, (pattern, event)
            if example.kind in ("missed", "absent field"):
                assert must(event) and not dont_care(event) and not matches(pattern, event), (pattern, example)
            else:
                assert not must(event) and not dont_care(event) and matches(pattern, event), (pattern, example)
        pins = identity_pins(tree)
        for _ in range(250):
            event = random_event(rng, slug)
            hit = matches(pattern, event)
            if hit and not must(event) and not dont_care(event):
                assert verdict.noise, (pattern, event)
            pinned = any(get(event, path) == value for path, value in pins)
            if must(event) and not dont_care(event) and not hit and not pinned:
                assert verdict.misses, (pattern, event)

    check()


@pytest.mark.parametrize("slug,version", CASES)
def test_the_control_s_canonical_pattern_passes_and_its_own_calls_are_counted(slug, version):
    control = by_slug(slug)
    must, dont_care = ORACLES[(slug, version)]
    assert judge(control.canonical, control, version).ok
    for sample in control.target(version).samples:
        assert must(sample) and matches(control.canonical, sample), sample
