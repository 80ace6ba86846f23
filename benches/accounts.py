#!/usr/bin/env python3
"""A run over an organization in moto: 100 member accounts, each with 50 users
(each with an access key, half with an SSH key), 50 roles and 20 instance
profiles, seeded with boto3 through the role drift assumes there too.

Writes the baselines with `drift init --accounts`, adds drift to every tenth
account, then runs `drift check --accounts --stats` at --account-concurrency
1, 4 and 16, and prints wall time, peak memory, and the calls per account next
to those of a single-account `drift check --live` of one member (they must
be equal but for AssumeRole).

    cargo build --release && python3 benches/accounts.py [path/to/drift] [ACCOUNTS]
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DRIFT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "drift")
ACCOUNTS = int(sys.argv[2]) if len(sys.argv) > 2 else 100
USERS, ROLES, PROFILES = 50, 50, 20
KEY = ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDHs0rJ2Y6Zz2n0YB2bZ6mG1Y9x3iXq2a7cQ0Qm8uBvJ2kSy7yKf1qg8R0fH9bZl0"
       "X2n5vM3cT4wE6sD8aB1cF7gH9iJ0kL2mN4oP6qR8sT0uV2wX4yZ6aB8cD0eF2gH4iJ6kL8mN0oP2qR4sT6uV8wX0yZ2aB4cD6eF8gH0i"
       "J2kL4mN6oP8qR0sT2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF0gH2iJ4kL6mN8oP0qR2sT4uV6wX8y bench")
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def member(endpoint, account):
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1", **KEYS)
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                        RoleSessionName="bench")["Credentials"]
    return {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"],
            "aws_session_token": c["SessionToken"]}


def seed(endpoint, account, n):
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", **member(endpoint, account))
    iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True)
    for i in range(USERS):
        name = f"user-{n:03d}-{i:02d}"
        iam.create_user(UserName=name, Path=f"/team-{i % 5}/")
        iam.create_access_key(UserName=name)
        if i % 2 == 0:
            iam.upload_ssh_public_key(UserName=name, SSHPublicKeyBody=KEY)
    for i in range(ROLES):
        iam.create_role(RoleName=f"role-{n:03d}-{i:02d}", AssumeRolePolicyDocument=TRUST)
    for i in range(PROFILES):
        iam.create_instance_profile(InstanceProfileName=f"profile-{n:03d}-{i:02d}")
        iam.add_role_to_instance_profile(InstanceProfileName=f"profile-{n:03d}-{i:02d}",
                                         RoleName=f"role-{n:03d}-{i:02d}")
    return iam


def drift(args, env, cwd):
    """Runs drift under GNU time: (seconds, peak MiB, exit code, stderr). A
    child's own ru_maxrss would start at this process's size (the fork before
    exec), so GNU time, a small process, measures drift alone."""
    started = time.time()
    measured = os.path.join(cwd, "time.txt")
    child = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", measured, DRIFT] + args, cwd=cwd, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    kib = int(open(measured).read().split()[-1])
    return time.time() - started, kib / 1024, child.returncode, child.stderr.decode()


def total_calls(stderr):
    for line in stderr.splitlines():
        if line.startswith("API calls: "):
            return int(line.split(": ")[1])
    return None


def main():
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env_server = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="false")
    server = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], env=env_server,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("moto_server did not start")
                time.sleep(0.1)
        org = boto3.client("organizations", endpoint_url=endpoint, region_name="us-east-1", **KEYS)
        org.create_organization(FeatureSet="ALL")
        started = time.time()
        ids = []
        clients = []
        for n in range(ACCOUNTS):
            account = org.create_account(Email=f"m{n}@example.com", AccountName=f"member{n:03d}")[
                "CreateAccountStatus"]["AccountId"]
            ids.append(account)
            clients.append(seed(endpoint, account, n))
        print(f"seeded {ACCOUNTS} accounts ({USERS} users with keys, {ROLES} roles, {PROFILES} profiles each) "
              f"in {time.time() - started:.0f} s")
        with tempfile.TemporaryDirectory() as work:
            with open(os.path.join(work, "accounts.yaml"), "w") as f:
                f.write("version: 1\naccounts:\n")
                for n, account in enumerate(ids):
                    f.write(f'  - id: "{account}"\n    name: member{n:03d}\n    baseline: member{n:03d}.yaml\n')
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1",
                       AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE=os.path.join(work, "none"),
                       AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, "none"))
            common = ["--endpoint-url", endpoint, "--concurrency", "8"]
            secs, rss, code, err = drift(["init", "--accounts", "accounts.yaml", "--output", "shared.yaml",
                                          "--account-concurrency", "16"] + common, env, work)
            assert code == 0, err
            print(f"init --accounts: {secs:.1f} s, peak {rss:.0f} MiB")
            # Drift in every tenth account: an undeclared user and a deleted key.
            for n in range(0, ACCOUNTS, 10):
                clients[n].create_user(UserName=f"intruder-{n:03d}")
                clients[n].delete_ssh_public_key(
                    UserName=f"user-{n:03d}-00",
                    SSHPublicKeyId=clients[n].list_ssh_public_keys(UserName=f"user-{n:03d}-00")[
                        "SSHPublicKeys"][0]["SSHPublicKeyId"])
            # One member alone, with its own credentials: the single-account read.
            single_env = dict(env)
            keys = member(endpoint, ids[1])
            single_env.update(AWS_ACCESS_KEY_ID=keys["aws_access_key_id"],
                              AWS_SECRET_ACCESS_KEY=keys["aws_secret_access_key"],
                              AWS_SESSION_TOKEN=keys["aws_session_token"])
            with open(os.path.join(work, "one.yaml"), "w") as out:
                out.write(open(os.path.join(work, "shared.yaml")).read())
                body = open(os.path.join(work, "member001.yaml")).read()
                out.write("\n".join(l for l in body.splitlines() if not l.startswith("version:")) + "\n")
            secs, rss, code, err = drift(["check", "--live", "--baseline", "one.yaml", "--stats",
                                          "--fail-on", "info"] + common, single_env, work)
            single = total_calls(err)
            print(f"one account alone (--live): {single} calls, {secs:.2f} s, peak {rss:.0f} MiB, exit {code}")
            print(f"{'concurrency':>12} {'seconds':>9} {'peak MiB':>9} {'calls':>8} {'calls/account':>14} {'findings':>9}")
            for concurrency in (1, 4, 16):
                secs, rss, code, err = drift(
                    ["check", "--accounts", "accounts.yaml", "--baseline", "shared.yaml", "--stats",
                     "--format", "json", "--output", "out.json", "--fail-on", "critical",
                     "--account-concurrency", str(concurrency)] + common, env, work)
                report = json.load(open(os.path.join(work, "out.json")))
                statuses = {a["status"] for a in report["accounts"]}
                assert statuses == {"read"}, (statuses, err)
                calls = [a["calls"] for a in report["accounts"]]
                print(f"{concurrency:>12} {secs:>9.1f} {rss:>9.0f} {sum(calls):>8} "
                      f"{min(calls)}-{max(calls):>5} {len(report['findings']):>9}")
    finally:
        server.kill()


if __name__ == "__main__":
    main()
