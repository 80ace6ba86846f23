#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into DIR, from the project's
examples and hand-made fixtures. Usage: seeds.py DIR"""
import glob
import gzip
import json
import os
import shutil
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
out = sys.argv[1]
for target in ("baseline", "plan", "state", "credential_report", "cloudtrail", "policy"):
    os.makedirs(os.path.join(out, target), exist_ok=True)
shutil.copy(os.path.join(ROOT, "baseline.yaml"), os.path.join(out, "baseline", "baseline.yaml"))
plans = sorted(glob.glob(os.path.join(ROOT, "examples", "plan-*.json")) +
               glob.glob(os.path.join(ROOT, "tests", "fixtures", "plans", "*.json")))
for i, path in enumerate(plans):
    shutil.copy(path, os.path.join(out, "plan", f"{i:02}-{os.path.basename(path)}"))
    with open(path) as f:
        plan = json.load(f)
    values = (plan.get("prior_state") or {}).get("values")
    if values:
        show = {"format_version": "1.0", "terraform_version": "1.9.5", "values": values}
        with open(os.path.join(out, "state", f"{i:02}-show.json"), "w") as f:
            json.dump(show, f)
with open(os.path.join(out, "credential_report", "report.csv"), "w") as f:
    f.write("user,arn,user_creation_time,password_enabled,mfa_active\n"
            "<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,true\n"
            "dev,arn:aws:iam::123456789012:user/dev,2020-01-01T00:00:00+00:00,true,false\n"
            "dev,admin,arn:aws:iam::123456789012:user/dev,admin,2020-01-01T00:00:00+00:00,false,true\n"
            "\"ops,admin,x\",\"arn:aws:iam::123456789012:user/ops,admin,x\",2020-01-01T00:00:00+00:00,true,true\n")
# AWS's full header, with the access key columns the root and key rules read.
KEYS = ",".join(f"access_key_{n}_{c}" for n in (1, 2) for c in
                ("active", "last_rotated", "last_used_date", "last_used_region", "last_used_service"))
with open(os.path.join(out, "credential_report", "keys.csv"), "w") as f:
    f.write(f"user,arn,user_creation_time,password_enabled,password_last_used,mfa_active,{KEYS}\n"
            "<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,"
            "2026-01-02T03:04:05+00:00,false,true,2020-01-01T00:00:00+00:00,2026-01-03T00:00:00+00:00,"
            "us-east-1,iam,false,N/A,N/A,N/A,N/A\n"
            "dev,arn:aws:iam::123456789012:user/dev,2020-01-01T00:00:00+00:00,true,N/A,false,"
            "true,2021-05-06T07:08:09+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\n")

# CloudTrail: a log file, EventBridge lines, and the real records of ../shared
# when it is beside the project (read at run time, never copied into the repo).
RECORD = {"eventVersion": "1.11", "eventTime": "2026-11-20T10:00:00Z", "eventSource": "iam.amazonaws.com",
          "eventName": "UpdateUser", "requestParameters": {"userName": "alice", "newUserName": "mallory"},
          "responseElements": None, "eventID": "e1", "recipientAccountId": "123456789012",
          "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::1:assumed-role/AWSReservedSSO_A_1/x@y",
                           "sessionContext": {"sessionIssuer": {"arn": "arn:aws:iam::1:role/AWSReservedSSO_A_1"}}}}
with open(os.path.join(out, "cloudtrail", "records.json"), "w") as f:
    json.dump({"Records": [RECORD, dict(RECORD, eventName="DeleteAccessKey",
                                        requestParameters={"accessKeyId": "AKIA1"}, errorCode="NoSuchEntity")]}, f)
# The same log as CloudTrail delivers it to S3: gzip (the target writes an
# input that starts like gzip as a .json.gz file).
with gzip.open(os.path.join(out, "cloudtrail", "records.json.gz"), "wt") as f:
    json.dump({"Records": [RECORD, dict(RECORD, eventName="AttachUserPolicy",
                                        requestParameters={"userName": "bob", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})]}, f)
with open(os.path.join(out, "cloudtrail", "bridge.jsonl"), "w") as f:
    for name in ("DeleteSSHPublicKey", "CreateAccessKey", "DeactivateMFADevice"):
        f.write(json.dumps({"detail-type": "AWS API Call via CloudTrail", "detail": dict(RECORD, eventName=name)}) + "\n")
# The real plans and states of ../shared when it is beside the project: a
# corpus that reaches what real inputs hold from the first run.
for kind in ("plan", "state"):
    folder = os.path.join(ROOT, "..", "shared", "fixtures", kind)
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(path) and name.endswith(".json"):
                shutil.copy(path, os.path.join(out, kind, "shared-" + name))
shared = os.path.join(ROOT, "..", "shared", "fixtures", "cloudtrail")
if os.path.isdir(shared):
    for name in sorted(os.listdir(shared)):
        shutil.copy(os.path.join(shared, name), os.path.join(out, "cloudtrail", name))

# Policy pairs: every document of the example plans against an edited copy,
# and a few seeds of the generator.
docs = []
for path in plans:
    with open(path) as f:
        plan = json.load(f)
    for rc in plan.get("resource_changes", []):
        after = (rc.get("change") or {}).get("after") or {}
        for key in ("policy", "assume_role_policy"):
            text = after.get(key)
            if isinstance(text, str):
                try:
                    doc = json.loads(text)
                except ValueError:
                    continue
                if isinstance(doc, dict) and doc not in docs:
                    docs.append(doc)
for i, doc in enumerate(docs):
    wider = json.loads(json.dumps(doc).replace('"s3:GetObject"', '"s3:*"').replace('"Service"', '"AWS"'))
    with open(os.path.join(out, "policy", f"{i:02}-pair.json"), "w") as f:
        json.dump([doc, wider], f)
for i in range(8):
    with open(os.path.join(out, "policy", f"seed-{i}"), "wb") as f:
        f.write(bytes([i]) * (i + 1))
